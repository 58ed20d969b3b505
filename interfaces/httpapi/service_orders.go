package httpapi

import (
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
)

type orderRequest struct {
	CustomerID       string        `json:"customer_id"`
	VehicleID        string        `json:"vehicle_id"`
	MileageKm        *int64        `json:"mileage_km"`
	OdometerReplaced bool          `json:"odometer_replaced"`
	Description      string        `json:"description"`
	Items            []itemRequest `json:"items"`
}

type itemRequest struct {
	Service        string `json:"service"`
	Description    string `json:"description"`
	Quantity       int64  `json:"quantity"`
	UnitPriceCents int64  `json:"unit_price_cents"`
}

func (h *RecordsHandlers) openOrder(w http.ResponseWriter, r *http.Request) {
	var req orderRequest
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	in := serviceorder.OpenInput{CustomerID: req.CustomerID, VehicleID: req.VehicleID, MileageKm: req.MileageKm,
		Description: req.Description}
	for _, it := range req.Items {
		in.Items = append(in.Items, serviceorder.ItemInput{Service: it.Service, Description: it.Description,
			Quantity: it.Quantity, UnitPriceCents: it.UnitPriceCents})
	}
	o, err := h.ServiceOrders.OpenServiceOrder(r.Context(), serviceorders.OpenServiceOrderInput{Order: in, OdometerReplaced: req.OdometerReplaced})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+o.ID.String())
	writeVersioned(w, http.StatusCreated, o.Version, toOrderJSON(o))
}

func (h *RecordsHandlers) getOrder(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	o, err := h.ServiceOrders.GetServiceOrder(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, o.Version, toOrderJSON(o))
}

func (h *RecordsHandlers) listOrders(w http.ResponseWriter, r *http.Request) {
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	res, err := h.ServiceOrders.ListServiceOrders(r.Context(), serviceorders.ListServiceOrdersInput{Status: q.Get("status"),
		CustomerID: q.Get("customer_id"), VehicleID: q.Get("vehicle_id"), Page: page})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePage(w, res, toOrderJSON)
}

// apiStatuses are the statuses API.md lets clients set; quoted and approved
// belong to the portal's quote flow.
var apiStatuses = map[string]bool{"in_progress": true, "completed": true, "delivered": true, "cancelled": true}

func (h *RecordsHandlers) changeStatus(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req struct {
		Status string `json:"status"`
		Note   string `json:"note"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if !apiStatuses[req.Status] {
		h.fail(w, r, errs.Invalid("status", "unknown_value", "status must be in_progress, completed, delivered or cancelled"))
		return
	}
	exp, err := expectedVersion(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	o, err := h.ServiceOrders.ChangeServiceOrderStatus(r.Context(), serviceorders.ChangeStatusInput{OrderID: id, Status: req.Status,
		Note: req.Note, ExpectedVersion: exp})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, o.Version, toOrderJSON(o))
}
