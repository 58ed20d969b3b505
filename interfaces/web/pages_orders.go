package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
)

// orders is the status board.
func (h *Handler) orders(w http.ResponseWriter, r *http.Request) {
	v := h.newView(r, "web.orders.title")
	v.Nav = "orders"
	rows, err := h.loadOrders(r, serviceorders.ListServiceOrdersInput{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	by := map[string][]orderRow{}
	for _, o := range rows {
		by[o.Status] = append(by[o.Status], o)
	}
	var cols []boardColumn
	for _, s := range boardStatuses {
		if (s == "quoted" || s == "approved") && len(by[s]) == 0 {
			continue
		}
		cols = append(cols, boardColumn{Status: s, Orders: by[s]})
	}
	v.Data = cols
	h.render(w, r, http.StatusOK, "orders", v)
}

type catalogItem struct{ Code, Label string }

type orderFormData struct {
	Customer customers.Customer
	Catalog  []catalogItem
	Lines    []int
}

func catalogItems() []catalogItem {
	var out []catalogItem
	for _, s := range catalog.Default().Services() {
		out = append(out, catalogItem{Code: s.Code().String(), Label: s.Label()})
	}
	return out
}

func (h *Handler) orderNew(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r, authz.OpenServiceOrder) {
		return
	}
	h.renderOrderForm(w, r, http.StatusOK, nil)
}

func (h *Handler) renderOrderForm(w http.ResponseWriter, r *http.Request, status int, prepared *view) {
	v := h.newView(r, "web.order.new_title")
	if prepared != nil {
		v = *prepared
	} else {
		v.Form.Set("customer_id", r.URL.Query().Get("customer"))
		v.Form.Set("vehicle_id", r.URL.Query().Get("vehicle"))
		v.Form.Set("items[0].quantity", "1")
	}
	v.Nav = "orders"
	id, err := uuid.Parse(v.Form.Get("customer_id"))
	if err != nil {
		redirect(w, r, h.appPath(r, "/customers"))
		return
	}
	c, err := h.cfg.Customers.GetCustomer(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Data = orderFormData{Customer: c, Catalog: catalogItems(), Lines: []int{0, 1, 2}}
	h.render(w, r, status, "order_form", v)
}

func (h *Handler) orderCreate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := r.PostForm
	v := h.newView(r, "web.order.new_title")
	v.Form = f
	in := serviceorder.OpenInput{CustomerID: f.Get("customer_id"), VehicleID: f.Get("vehicle_id"), Description: f.Get("description")}
	if km := strings.TrimSpace(f.Get("mileage_km")); km != "" {
		n, err := strconv.ParseInt(strings.NewReplacer(".", "", " ", "").Replace(km), 10, 64)
		if err != nil {
			v.Errors["mileage_km"] = messages.FieldError(v.L, "invalid_format")
		} else {
			in.MileageKm = &n
		}
	}
	// Form lines map to items in order; remember which line each item came
	// from so errors land beside the right inputs.
	var lineOf []int
	for i := 0; i < 3; i++ {
		p := fmt.Sprintf("items[%d].", i)
		code := strings.TrimSpace(f.Get(p + "service"))
		if code == "" {
			continue
		}
		item := serviceorder.ItemInput{Service: code, Description: f.Get(p + "description"), Quantity: 1}
		if q := strings.TrimSpace(f.Get(p + "quantity")); q != "" {
			n, err := strconv.ParseInt(q, 10, 64)
			if err != nil {
				v.Errors[p+"quantity"] = messages.FieldError(v.L, "invalid_format")
			}
			item.Quantity = n
		}
		if price := strings.TrimSpace(f.Get(p + "unit_price")); price != "" {
			if !strings.HasPrefix(price, "R$") {
				price = "R$ " + price
			}
			m, err := br.ParseMoneyBRL(price)
			if err != nil {
				v.Errors[p+"unit_price"] = messages.FieldError(v.L, "invalid_format")
			}
			item.UnitPriceCents = m.Cents()
		}
		in.Items = append(in.Items, item)
		lineOf = append(lineOf, i)
	}
	if len(v.Errors) == 0 {
		o, err := h.cfg.ServiceOrders.OpenServiceOrder(r.Context(), serviceorders.OpenServiceOrderInput{Order: in, OdometerReplaced: f.Get("odometer_replaced") == "on"})
		if err == nil {
			redirect(w, r, withFlash(h.appPath(r, "/orders/", o.ID.String()), "order_opened"))
			return
		}
		if !h.formErrors(r, &v, err) {
			h.fail(w, r, err)
			return
		}
		// items[k].unit_price_cents → the form line's unit_price input.
		fixed := map[string]string{}
		for field, msg := range v.Errors {
			var k int
			var rest string
			if n, _ := fmt.Sscanf(field, "items[%d].%s", &k, &rest); n == 2 && k < len(lineOf) {
				rest = strings.TrimSuffix(rest, "_cents")
				fixed[fmt.Sprintf("items[%d].%s", lineOf[k], rest)] = msg
				continue
			}
			fixed[field] = msg
		}
		v.Errors = fixed
	}
	v.Alert = tr(v.L, "web.form.fix_errors")
	h.renderOrderForm(w, r, http.StatusUnprocessableEntity, &v)
}

type orderPage struct {
	Order    serviceorders.ServiceOrder
	Vehicle  vehicles.Vehicle
	Customer customers.Customer
	Next     []string
}

func (h *Handler) loadOrder(r *http.Request) (orderPage, error) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		return orderPage{}, errs.ErrNotFound
	}
	o, err := h.cfg.ServiceOrders.GetServiceOrder(r.Context(), id)
	if err != nil {
		return orderPage{}, err
	}
	p := orderPage{Order: o}
	p.Vehicle, _ = h.cfg.Vehicles.GetVehicle(r.Context(), o.VehicleID)
	p.Customer, _ = h.cfg.Customers.GetCustomer(r.Context(), o.CustomerID)
	if cur, err := serviceorder.ParseStatus(o.Status); err == nil {
		for _, s := range []string{"in_progress", "completed", "delivered", "cancelled"} {
			if to, _ := serviceorder.ParseStatus(s); cur.CanChangeTo(to) {
				p.Next = append(p.Next, s)
			}
		}
	}
	return p, nil
}

// orderView is the view of the order the path names; when it cannot be
// read, it has answered the request and ok is false.
func (h *Handler) orderView(w http.ResponseWriter, r *http.Request) (view, bool) {
	p, err := h.loadOrder(r)
	if err != nil {
		h.fail(w, r, err)
		return view{}, false
	}
	v := h.newView(r, "web.order.title")
	v.Title = tr(v.L, "web.order.number", p.Order.Number)
	v.Data = p
	return v, true
}

func (h *Handler) order(w http.ResponseWriter, r *http.Request) {
	v, ok := h.orderView(w, r)
	if !ok {
		return
	}
	v.Nav = "orders"
	v.Data = h.withQuote(r, &v, v.Data.(orderPage), true)
	h.render(w, r, http.StatusOK, "order", v)
}

func (h *Handler) orderPrint(w http.ResponseWriter, r *http.Request) {
	if v, ok := h.orderView(w, r); ok {
		h.renderBlock(w, r, http.StatusOK, "order_print", "print", v)
	}
}

func (h *Handler) orderStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	var err error
	_ = r.ParseForm()
	_, err = h.cfg.ServiceOrders.ChangeServiceOrderStatus(r.Context(), serviceorders.ChangeStatusInput{OrderID: id,
		Status: r.PostForm.Get("status"), Note: r.PostForm.Get("note")})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/orders/", id.String()), "status_changed"))
}
