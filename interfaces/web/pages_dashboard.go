package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/vehicles"
)

// orderRow is an order with its vehicle's plate and its customer's name.
type orderRow struct {
	serviceorders.ServiceOrder
	Plate, Vehicle, Customer string
}

type boardColumn struct {
	Status string
	Orders []orderRow
}

type dashboardData struct {
	Today   []boardColumn
	Waiting []orderRow
	Total   int
}

// loadOrders lists the latest orders with their plates and customers' names.
func (h *Handler) loadOrders(r *http.Request, in serviceorders.ListServiceOrdersInput) ([]orderRow, error) {
	if in.Page.Limit == 0 {
		in.Page.Limit = pagination.MaxLimit
	}
	page, err := h.cfg.ServiceOrders.ListServiceOrders(r.Context(), in)
	if err != nil {
		return nil, err
	}
	seen := map[uuid.UUID]vehicles.Vehicle{}
	names := map[uuid.UUID]string{}
	out := make([]orderRow, 0, len(page.Items))
	for _, o := range page.Items {
		row := orderRow{ServiceOrder: o}
		v, ok := seen[o.VehicleID]
		if !ok {
			if v, err = h.cfg.Vehicles.GetVehicle(r.Context(), o.VehicleID); err == nil {
				seen[o.VehicleID] = v
			}
		}
		row.Plate, row.Vehicle = v.Plate, strings.TrimSpace(v.Make+" "+v.Model)
		n, ok := names[o.CustomerID]
		if !ok {
			if c, err := h.cfg.Customers.GetCustomer(r.Context(), o.CustomerID); err == nil {
				n = c.Name
			}
			names[o.CustomerID] = n
		}
		row.Customer = n
		out = append(out, row)
	}
	return out, nil
}

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	v := h.newView(r, "web.dashboard.title")
	v.Nav = "dashboard"
	rows, err := h.loadOrders(r, serviceorders.ListServiceOrdersInput{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	tz := saoPaulo
	if ws := workshopOf(r.Context()); ws.TimeZone != "" {
		if loc, err := time.LoadLocation(ws.TimeZone); err == nil {
			tz = loc
		}
	}
	y, m, d := time.Now().In(tz).Date()
	var data dashboardData
	byStatus := map[string][]orderRow{}
	for _, o := range rows {
		oy, om, od := o.UpdatedAt.In(tz).Date()
		if oy == y && om == m && od == d {
			byStatus[o.Status] = append(byStatus[o.Status], o)
			data.Total++
		}
		if o.Status != "delivered" && o.Status != "cancelled" {
			data.Waiting = append(data.Waiting, o)
		}
	}
	for _, s := range boardStatuses {
		data.Today = append(data.Today, boardColumn{Status: s, Orders: byStatus[s]})
	}
	v.Data = data
	h.render(w, r, http.StatusOK, "dashboard", v)
}
