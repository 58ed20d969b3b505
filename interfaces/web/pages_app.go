package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/cep"
	"github.com/torquehq/torque/application/i18n"
	"github.com/torquehq/torque/application/registry"
	"github.com/torquehq/torque/application/tenancy"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/domain/workshop"
)

// allowed shows the "no permission" page for a form the caller's role may
// not submit (the use case would refuse it anyway).
func (h *Handler) allowed(w http.ResponseWriter, r *http.Request, action authz.Action) bool {
	if _, err := authz.Require(r.Context(), action); err != nil {
		h.fail(w, r, err)
		return false
	}
	return true
}

func (h *Handler) appPath(r *http.Request, parts ...string) string {
	return "/app/" + chi.URLParam(r, "slug") + strings.Join(parts, "")
}

// boardStatuses are the columns of the status board, in life-cycle order.
var boardStatuses = []string{"open", "quoted", "approved", "in_progress", "completed", "delivered", "cancelled"}

// orderRow is an order with its vehicle's plate and its customer's name.
type orderRow struct {
	registry.ServiceOrder
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
func (h *Handler) loadOrders(r *http.Request, in registry.ListServiceOrdersInput) ([]orderRow, error) {
	if in.Page.Limit == 0 {
		in.Page.Limit = registry.MaxLimit
	}
	page, err := h.cfg.Customers.ListServiceOrders(r.Context(), in)
	if err != nil {
		return nil, err
	}
	vehicles := map[uuid.UUID]registry.Vehicle{}
	names := map[uuid.UUID]string{}
	out := make([]orderRow, 0, len(page.Items))
	for _, o := range page.Items {
		row := orderRow{ServiceOrder: o}
		v, ok := vehicles[o.VehicleID]
		if !ok {
			if v, err = h.cfg.Customers.GetVehicle(r.Context(), o.VehicleID); err == nil {
				vehicles[o.VehicleID] = v
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
	rows, err := h.loadOrders(r, registry.ListServiceOrdersInput{})
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

// brandCSS is the workshop's colours as CSS custom properties (a style
// sheet, because the CSP forbids inline styles).
var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

func (h *Handler) brandCSS(w http.ResponseWriter, r *http.Request) {
	ws := workshopOf(r.Context())
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=60")
	var b strings.Builder
	b.WriteString(":root{")
	if c := ws.Profile.PrimaryColor; hexColor.MatchString(c) {
		fmt.Fprintf(&b, "--brand:%s;", c)
	}
	if c := ws.Profile.SecondaryColor; hexColor.MatchString(c) {
		fmt.Fprintf(&b, "--brand-2:%s;", c)
	}
	b.WriteString("}\n")
	_, _ = w.Write([]byte(b.String()))
}

// cepLookup answers the form's address lookup as JSON; any failure is a
// 404 and the person types the address.
func (h *Handler) cepLookup(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if h.cfg.CEP == nil {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{}`))
		return
	}
	a, err := h.cfg.CEP.Lookup(r.Context(), chi.URLParam(r, "cep"))
	if err != nil {
		if !errors.Is(err, cep.ErrNotFound) && !errors.Is(err, cep.ErrInvalid) {
			h.cfg.Log.InfoContext(r.Context(), "web: CEP lookup unavailable", "err", err)
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{}`))
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"street": a.Street, "district": a.District,
		"city": a.City, "state": a.State, "complement": a.Complement})
}

// customers lists customers; an htmx request (instant search) gets only
// the results.
func (h *Handler) customers(w http.ResponseWriter, r *http.Request) {
	v := h.newView(r, "web.customers.title")
	v.Nav = "customers"
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	v.Form.Set("q", q)
	page, err := h.cfg.Customers.SearchCustomers(r.Context(), registry.SearchCustomersInput{Query: q, Page: registry.PageRequest{Limit: 100}})
	if err != nil {
		var ve *errs.ValidationError
		if !errors.As(err, &ve) {
			h.fail(w, r, err)
			return
		}
		page = registry.Page[registry.Customer]{}
	}
	v.Data = page.Items
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Target") == "results" {
		h.renderBlock(w, r, http.StatusOK, "customers", "results", v)
		return
	}
	h.render(w, r, http.StatusOK, "customers", v)
}

// customerForm is the create/edit form's extra data.
type customerForm struct {
	ID      uuid.UUID
	Version int64
	Edit    bool
}

var customerFields = []string{"name", "document", "email", "phones.mobile", "phones.landline", "address.postal_code",
	"address.street", "address.number", "address.complement", "address.district", "address.city", "address.state"}

func (h *Handler) customerNew(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r, authz.WriteCustomer) {
		return
	}
	v := h.newView(r, "web.customer.new_title")
	v.Nav = "customers"
	v.Data = customerForm{}
	h.render(w, r, http.StatusOK, "customer_form", v)
}

func registerInput(f map[string][]string) customer.RegisterInput {
	get := func(k string) string {
		if vs := f[k]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	return customer.RegisterInput{Name: get("name"), Document: get("document"), Email: get("email"),
		Phones: customer.PhonesInput{Mobile: get("phones.mobile"), Landline: get("phones.landline")},
		Address: customer.AddressInput{Street: get("address.street"), Number: get("address.number"),
			Complement: get("address.complement"), District: get("address.district"), City: get("address.city"),
			State: get("address.state"), PostalCode: get("address.postal_code")},
		MarketingConsent: get("marketing_consent") == "on", Source: "counter"}
}

func (h *Handler) customerCreate(w http.ResponseWriter, r *http.Request) {
	v := h.newView(r, "web.customer.new_title")
	v.Nav = "customers"
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Form = r.PostForm
	c, err := h.cfg.Customers.RegisterCustomer(r.Context(), registerInput(r.PostForm))
	if err != nil {
		if h.formErrors(r, &v, err) {
			v.Data = customerForm{}
			h.render(w, r, http.StatusUnprocessableEntity, "customer_form", v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/customers/", c.ID.String()), "customer_saved"))
}

func (h *Handler) customerEdit(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r, authz.WriteCustomer) {
		return
	}
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	c, err := h.cfg.Customers.GetCustomer(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newView(r, "web.customer.edit_title")
	v.Nav = "customers"
	v.Form.Set("name", c.Name)
	if ct := c.Contact; ct != nil {
		doc := ct.Document
		if d, err := br.ParseDocument(doc); err == nil {
			doc = d.Formatted()
		}
		v.Form.Set("document", doc)
		v.Form.Set("email", ct.Email)
		v.Form.Set("phones.mobile", formatPhone(ct.Phones.Mobile))
		v.Form.Set("phones.landline", formatPhone(ct.Phones.Landline))
		a := ct.Address
		if p, err := br.ParseCEP(a.PostalCode); err == nil {
			v.Form.Set("address.postal_code", p.Formatted())
		}
		for k, val := range map[string]string{"address.street": a.Street, "address.number": a.Number,
			"address.complement": a.Complement, "address.district": a.District, "address.city": a.City, "address.state": a.State} {
			v.Form.Set(k, val)
		}
	}
	if c.MarketingConsent {
		v.Form.Set("marketing_consent", "on")
	}
	v.Data = customerForm{ID: c.ID, Version: c.Version, Edit: true}
	h.render(w, r, http.StatusOK, "customer_form", v)
}

func formatPhone(s string) string {
	if p, err := br.ParsePhone(s); err == nil {
		return p.Formatted()
	}
	return s
}

func (h *Handler) customerUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	var err error
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newView(r, "web.customer.edit_title")
	v.Nav = "customers"
	v.Form = r.PostForm
	in := registerInput(r.PostForm)
	set := func(s string) customer.Optional[string] { return customer.Optional[string]{Set: true, Value: s} }
	patch := customer.CustomerPatch{Name: set(in.Name), Document: set(in.Document), Email: set(in.Email),
		Phones: customer.Optional[customer.PhonesPatch]{Set: true, Value: customer.PhonesPatch{
			Mobile: set(in.Phones.Mobile), Landline: set(in.Phones.Landline)}},
		Address: customer.Optional[customer.AddressPatch]{Set: true, Value: customer.AddressPatch{
			Street: set(in.Address.Street), Number: set(in.Address.Number), Complement: set(in.Address.Complement),
			District: set(in.Address.District), City: set(in.Address.City), State: set(in.Address.State),
			PostalCode: set(in.Address.PostalCode)}},
		MarketingConsent: customer.Optional[bool]{Set: true, Value: in.MarketingConsent}, Source: "counter"}
	_, err = h.cfg.Customers.CorrectCustomer(r.Context(), registry.CorrectCustomerInput{CustomerID: id, Patch: patch})
	if err != nil {
		if h.formErrors(r, &v, err) {
			v.Data = customerForm{ID: id, Edit: true}
			h.render(w, r, http.StatusUnprocessableEntity, "customer_form", v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/customers/", id.String()), "customer_saved"))
}

// customerPage is the 360 view.
type customerPage struct {
	Customer registry.Customer
	History  []registry.HistoryEntry
	Notes    []registry.Note
	// Others are the other customers (transfer targets).
	Others []registry.Customer
	Years  []int
}

func (h *Handler) customer360(w http.ResponseWriter, r *http.Request) {
	h.renderCustomer(w, r, http.StatusOK, nil)
}

// renderCustomer shows the 360 view; formErr (vehicle or note form) keeps
// the submitted values and errors beside the fields.
func (h *Handler) renderCustomer(w http.ResponseWriter, r *http.Request, status int, prepared *view) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	c, err := h.cfg.Customers.GetCustomer(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newView(r, "web.customer.title")
	if prepared != nil {
		v = *prepared
	}
	v.Nav = "customers"
	v.Title = c.Name
	p := customerPage{Customer: c}
	if hist, err := h.cfg.Customers.CustomerHistory(r.Context(), registry.CustomerHistoryInput{CustomerID: id, Page: registry.PageRequest{Limit: 100}}); err == nil {
		p.History = hist.Items
	}
	if notes, err := h.cfg.Customers.ListNotes(r.Context(), registry.ListNotesInput{CustomerID: id, Page: registry.PageRequest{Limit: 100}}); err == nil {
		p.Notes = notes.Items
	}
	if v.Can("vehicle.transfer") {
		if all, err := h.cfg.Customers.SearchCustomers(r.Context(), registry.SearchCustomersInput{Page: registry.PageRequest{Limit: 200}}); err == nil {
			for _, o := range all.Items {
				if o.ID != id {
					p.Others = append(p.Others, o)
				}
			}
		}
	}
	v.Data = p
	h.render(w, r, status, "customer", v)
}

func (h *Handler) noteAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	var err error
	_ = r.ParseForm()
	_, err = h.cfg.Customers.AddNote(r.Context(), registry.AddNoteInput{CustomerID: id, Text: r.PostForm.Get("text")})
	if err != nil {
		v := h.newView(r, "web.customer.title")
		v.Form = r.PostForm
		if h.formErrors(r, &v, err) {
			if msg, ok := v.Errors["text"]; ok {
				v.Errors["note.text"] = msg
			}
			h.renderCustomer(w, r, http.StatusUnprocessableEntity, &v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/customers/", id.String()), "note_added")+"#notes")
}

func vehicleInput(f map[string][]string) (vehicle.RegisterInput, map[string]string) {
	get := func(k string) string {
		if vs := f[k]; len(vs) > 0 {
			return strings.TrimSpace(vs[0])
		}
		return ""
	}
	bad := map[string]string{}
	in := vehicle.RegisterInput{Plate: get("plate"), Make: get("make"), Model: get("model"), Color: get("color")}
	if y := get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			bad["year"] = "invalid_format"
		}
		in.Year = n
	}
	if km := get("mileage_km"); km != "" {
		n, err := strconv.ParseInt(strings.NewReplacer(".", "", " ", "").Replace(km), 10, 64)
		if err != nil {
			bad["mileage_km"] = "invalid_format"
		} else {
			in.MileageKm = &n
		}
	}
	return in, bad
}

func (h *Handler) vehicleAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	var err error
	_ = r.ParseForm()
	in, bad := vehicleInput(r.PostForm)
	v := h.newView(r, "web.customer.title")
	v.Form = r.PostForm
	if len(bad) == 0 {
		_, err = h.cfg.Customers.AddVehicle(r.Context(), registry.AddVehicleInput{CustomerID: id, Vehicle: in})
		if err == nil {
			redirect(w, r, withFlash(h.appPath(r, "/customers/", id.String()), "vehicle_saved")+"#vehicles")
			return
		}
		if !h.formErrors(r, &v, err) {
			h.fail(w, r, err)
			return
		}
	}
	for f, code := range bad {
		v.Errors[f] = i18n.FieldError(v.L, code)
	}
	v.Form.Set("vehicle_form_open", "1")
	h.renderCustomer(w, r, http.StatusUnprocessableEntity, &v)
}

type vehiclePage struct {
	Vehicle registry.Vehicle
	History registry.VehicleHistory
	Owner   registry.Customer
	Others  []registry.Customer
}

func (h *Handler) vehicleEdit(w http.ResponseWriter, r *http.Request) {
	h.renderVehicle(w, r, http.StatusOK, nil)
}

func (h *Handler) renderVehicle(w http.ResponseWriter, r *http.Request, status int, prepared *view) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	hist, err := h.cfg.Customers.VehicleHistory(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	veh := hist.Vehicle
	v := h.newView(r, "web.vehicle.title")
	if prepared != nil {
		v = *prepared
	} else {
		v.Form.Set("plate", veh.Plate)
		v.Form.Set("make", veh.Make)
		v.Form.Set("model", veh.Model)
		v.Form.Set("year", strconv.Itoa(veh.Year))
		v.Form.Set("color", veh.Color)
	}
	v.Nav = "customers"
	v.Title = strings.TrimSpace(veh.Plate + " · " + veh.Make + " " + veh.Model)
	p := vehiclePage{Vehicle: veh, History: hist}
	p.Owner, _ = h.cfg.Customers.GetCustomer(r.Context(), veh.CustomerID)
	if v.Can("vehicle.transfer") {
		if all, err := h.cfg.Customers.SearchCustomers(r.Context(), registry.SearchCustomersInput{Page: registry.PageRequest{Limit: 200}}); err == nil {
			for _, o := range all.Items {
				if o.ID != veh.CustomerID {
					p.Others = append(p.Others, o)
				}
			}
		}
	}
	v.Data = p
	h.render(w, r, status, "vehicle", v)
}

func (h *Handler) vehicleUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	var err error
	_ = r.ParseForm()
	in, bad := vehicleInput(r.PostForm)
	v := h.newView(r, "web.vehicle.title")
	v.Form = r.PostForm
	if len(bad) == 0 {
		patch := vehicle.Patch{Plate: &in.Plate, Make: &in.Make, Model: &in.Model, Year: &in.Year, Color: &in.Color}
		_, err = h.cfg.Customers.CorrectVehicle(r.Context(), registry.CorrectVehicleInput{VehicleID: id, Patch: patch})
		if err == nil {
			redirect(w, r, withFlash(h.appPath(r, "/vehicles/", id.String()), "vehicle_saved"))
			return
		}
		if !h.formErrors(r, &v, err) {
			h.fail(w, r, err)
			return
		}
	}
	for f, code := range bad {
		v.Errors[f] = i18n.FieldError(v.L, code)
	}
	h.renderVehicle(w, r, http.StatusUnprocessableEntity, &v)
}

func (h *Handler) vehicleTransfer(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	var err error
	_ = r.ParseForm()
	_, err = h.cfg.Customers.TransferVehicle(r.Context(), registry.TransferVehicleInput{VehicleID: id, CustomerID: r.PostForm.Get("customer_id")})
	if err != nil {
		v := h.newView(r, "web.vehicle.title")
		if h.formErrors(r, &v, err) {
			h.renderVehicle(w, r, http.StatusUnprocessableEntity, &v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/vehicles/", id.String()), "vehicle_transferred"))
}

func (h *Handler) customerExport(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	ex, err := h.cfg.Customers.ExportCustomer(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="cliente-%s.json"`, id))
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(ex)
}

func (h *Handler) customerEraseConfirm(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r, authz.EraseCustomer) {
		return
	}
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	c, err := h.cfg.Customers.GetCustomer(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newView(r, "web.erase.title")
	v.Nav = "customers"
	v.Data = c
	h.render(w, r, http.StatusOK, "erase", v)
}

func (h *Handler) customerErase(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	_ = r.ParseForm()
	c, err := h.cfg.Customers.GetCustomer(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if strings.TrimSpace(r.PostForm.Get("confirm")) != c.Name {
		v := h.newView(r, "web.erase.title")
		v.Nav = "customers"
		v.Data = c
		v.Errors["confirm"] = i18n.T(v.L, "web.erase.mismatch")
		h.render(w, r, http.StatusUnprocessableEntity, "erase", v)
		return
	}
	if err := h.cfg.Customers.EraseCustomer(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/customers"), "customer_erased"))
}

// orders is the status board.
func (h *Handler) orders(w http.ResponseWriter, r *http.Request) {
	v := h.newView(r, "web.orders.title")
	v.Nav = "orders"
	rows, err := h.loadOrders(r, registry.ListServiceOrdersInput{})
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
	Customer registry.Customer
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
			v.Errors["mileage_km"] = i18n.FieldError(v.L, "invalid_format")
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
				v.Errors[p+"quantity"] = i18n.FieldError(v.L, "invalid_format")
			}
			item.Quantity = n
		}
		if price := strings.TrimSpace(f.Get(p + "unit_price")); price != "" {
			if !strings.HasPrefix(price, "R$") {
				price = "R$ " + price
			}
			m, err := br.ParseMoneyBRL(price)
			if err != nil {
				v.Errors[p+"unit_price"] = i18n.FieldError(v.L, "invalid_format")
			}
			item.UnitPriceCents = m.Cents()
		}
		in.Items = append(in.Items, item)
		lineOf = append(lineOf, i)
	}
	if len(v.Errors) == 0 {
		o, err := h.cfg.Customers.OpenServiceOrder(r.Context(), registry.OpenServiceOrderInput{Order: in, OdometerReplaced: f.Get("odometer_replaced") == "on"})
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
	v.Alert = i18n.T(v.L, "web.form.fix_errors")
	h.renderOrderForm(w, r, http.StatusUnprocessableEntity, &v)
}

type orderPage struct {
	Order    registry.ServiceOrder
	Vehicle  registry.Vehicle
	Customer registry.Customer
	Next     []string
}

func (h *Handler) loadOrder(r *http.Request) (orderPage, error) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		return orderPage{}, errs.ErrNotFound
	}
	o, err := h.cfg.Customers.GetServiceOrder(r.Context(), id)
	if err != nil {
		return orderPage{}, err
	}
	p := orderPage{Order: o}
	p.Vehicle, _ = h.cfg.Customers.GetVehicle(r.Context(), o.VehicleID)
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

func (h *Handler) order(w http.ResponseWriter, r *http.Request) {
	p, err := h.loadOrder(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newView(r, "web.order.title")
	v.Nav = "orders"
	v.Title = i18n.T(v.L, "web.order.number", p.Order.Number)
	v.Data = p
	h.render(w, r, http.StatusOK, "order", v)
}

func (h *Handler) orderPrint(w http.ResponseWriter, r *http.Request) {
	p, err := h.loadOrder(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newView(r, "web.order.title")
	v.Title = i18n.T(v.L, "web.order.number", p.Order.Number)
	v.Data = p
	h.renderBlock(w, r, http.StatusOK, "order_print", "print", v)
}

func (h *Handler) orderStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	var err error
	_ = r.ParseForm()
	_, err = h.cfg.Customers.ChangeServiceOrderStatus(r.Context(), registry.ChangeStatusInput{OrderID: id,
		Status: r.PostForm.Get("status"), Note: r.PostForm.Get("note")})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/orders/", id.String()), "status_changed"))
}

type staffPage struct {
	Staff []tenancy.StaffView
	Roles []string
}

func (h *Handler) staff(w http.ResponseWriter, r *http.Request) {
	h.renderStaff(w, r, http.StatusOK, nil)
}

func (h *Handler) renderStaff(w http.ResponseWriter, r *http.Request, status int, prepared *view) {
	v := h.newView(r, "web.staff.title")
	if prepared != nil {
		v = *prepared
	}
	v.Nav = "staff"
	list, err := h.cfg.Tenancy.ListStaff(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	v.Data = staffPage{Staff: list, Roles: []string{"owner", "manager", "advisor", "mechanic"}}
	h.render(w, r, status, "staff", v)
}

func (h *Handler) staffInvite(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	_, err := h.cfg.Tenancy.InviteStaff(r.Context(), tenancy.InviteStaffInput{Name: r.PostForm.Get("name"),
		Email: r.PostForm.Get("email"), Role: r.PostForm.Get("role")})
	if err != nil {
		v := h.newView(r, "web.staff.title")
		v.Form = r.PostForm
		if h.formErrors(r, &v, err) {
			h.renderStaff(w, r, http.StatusUnprocessableEntity, &v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/staff"), "staff_invited"))
}

func (h *Handler) staffRole(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	err := h.cfg.Tenancy.ChangeStaffRole(r.Context(), chi.URLParam(r, "identity"), r.PostForm.Get("role"))
	if err != nil {
		v := h.newView(r, "web.staff.title")
		if h.formErrors(r, &v, err) {
			if msg, ok := v.Errors["role"]; ok {
				v.Alert = msg
			}
			h.renderStaff(w, r, http.StatusUnprocessableEntity, &v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/staff"), "role_changed"))
}

// Torque's colours (app.css), used until a workshop picks its own.
const defaultPrimary, defaultSecondary = "#1f5fbf", "#f2a900"

func (h *Handler) settings(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r, authz.UpdateWorkshop) {
		return
	}
	v := h.newView(r, "web.settings.title")
	v.Nav = "settings"
	ws, err := h.cfg.Tenancy.Workshop(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := ws.Profile
	for k, val := range map[string]string{"name": p.Name, "legal_name": p.LegalName, "email": p.Email,
		"phone": formatPhone(p.Phone), "primary_color": p.PrimaryColor, "secondary_color": p.SecondaryColor,
		"logo_url": p.LogoURL, "privacy_policy": p.PrivacyPolicy} {
		v.Form.Set(k, val)
	}
	if v.Form.Get("name") == "" {
		v.Form.Set("name", ws.Name)
	}
	// A colour input always submits a colour: start from Torque's own.
	if v.Form.Get("primary_color") == "" {
		v.Form.Set("primary_color", defaultPrimary)
	}
	if v.Form.Get("secondary_color") == "" {
		v.Form.Set("secondary_color", defaultSecondary)
	}
	h.render(w, r, http.StatusOK, "settings", v)
}

func (h *Handler) settingsSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	v := h.newView(r, "web.settings.title")
	v.Nav = "settings"
	v.Form = r.PostForm
	str := func(k string) *string { s := r.PostForm.Get(k); return &s }
	in := workshop.ProfileInput{Name: str("name"), LegalName: str("legal_name"), Email: str("email"), Phone: str("phone"),
		PrimaryColor: str("primary_color"), Secondary: str("secondary_color")}
	if v.Can(string(authz.EditPrivacyPolicy)) && r.PostForm.Has("privacy_policy") {
		in.PrivacyPolicy = str("privacy_policy")
	}
	if _, err := h.cfg.Tenancy.UpdateProfile(r.Context(), in, nil); err != nil {
		if h.formErrors(r, &v, err) {
			if msg, ok := v.Errors["secondary"]; ok {
				v.Errors["secondary_color"] = msg
			}
			h.render(w, r, http.StatusUnprocessableEntity, "settings", v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/settings"), "settings_saved"))
}

// pathID parses the {id} of the path; one that is not a UUID is not found.
func (h *Handler) pathID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		h.fail(w, r, errs.ErrNotFound)
		return uuid.Nil, false
	}
	return id, true
}
