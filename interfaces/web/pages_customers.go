package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
)

// customers lists customers; an htmx request (instant search) gets only
// the results. A ?q= link still works, but the page's own search form posts
// (customersSearch): a query may be a CPF, and a GET would put it in the
// address bar, the history and every access log.
func (h *Handler) customers(w http.ResponseWriter, r *http.Request) {
	h.searchCustomers(w, r, r.URL.Query().Get("q"))
}

// customersSearch is the search form's target (POST, same-origin checked
// like every form): the results page is answered directly, no redirect,
// and not stored (render's Cache-Control: no-store), so the query never
// reaches a URL.
func (h *Handler) customersSearch(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "web.error.generic")
		return
	}
	h.searchCustomers(w, r, r.PostForm.Get("q"))
}

func (h *Handler) searchCustomers(w http.ResponseWriter, r *http.Request, q string) {
	v := h.newView(r, "web.customers.title")
	v.Nav = "customers"
	q = strings.TrimSpace(q)
	v.Form.Set("q", q)
	page, err := h.cfg.Customers.SearchCustomers(r.Context(), customers.SearchCustomersInput{Query: q, Page: pagination.Request{Limit: 100}})
	if err != nil {
		var ve *errs.ValidationError
		if !errors.As(err, &ve) {
			h.fail(w, r, err)
			return
		}
		page = pagination.Page[customers.Customer]{}
	}
	v.Data = page.Items
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Target") == "results" {
		h.renderBlock(w, r, http.StatusOK, "customers", "results", v)
		return
	}
	h.render(w, r, http.StatusOK, "customers", v)
}

// pathCustomer reads the customer the path names; when it cannot, it has
// answered the request and ok is false.
func (h *Handler) pathCustomer(w http.ResponseWriter, r *http.Request) (customers.Customer, bool) {
	id, ok := h.pathID(w, r)
	if !ok {
		return customers.Customer{}, false
	}
	c, err := h.cfg.Customers.GetCustomer(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return customers.Customer{}, false
	}
	return c, true
}

// otherCustomers lists the customers but one, the targets of a vehicle
// transfer (none when the list cannot be read).
func (h *Handler) otherCustomers(r *http.Request, except uuid.UUID) []customers.Customer {
	all, err := h.cfg.Customers.SearchCustomers(r.Context(), customers.SearchCustomersInput{Page: pagination.Request{Limit: 200}})
	if err != nil {
		return nil
	}
	var out []customers.Customer
	for _, o := range all.Items {
		if o.ID != except {
			out = append(out, o)
		}
	}
	return out
}

// customerForm is the create/edit form's extra data.
type customerForm struct {
	ID      uuid.UUID
	Version int64
	Edit    bool
}

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
	c, ok := h.pathCustomer(w, r)
	if !ok {
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
	_, err = h.cfg.Customers.CorrectCustomer(r.Context(), customers.CorrectCustomerInput{CustomerID: id, Patch: patch})
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
	Customer customers.Customer
	History  []customers.HistoryEntry
	Notes    []customers.Note
	// Others are the other customers (transfer targets).
	Others []customers.Customer
	Years  []int
}

func (h *Handler) customer360(w http.ResponseWriter, r *http.Request) {
	h.renderCustomer(w, r, http.StatusOK, nil)
}

// renderCustomer shows the 360 view; formErr (vehicle or note form) keeps
// the submitted values and errors beside the fields.
func (h *Handler) renderCustomer(w http.ResponseWriter, r *http.Request, status int, prepared *view) {
	c, ok := h.pathCustomer(w, r)
	if !ok {
		return
	}
	id := c.ID
	v := h.newView(r, "web.customer.title")
	if prepared != nil {
		v = *prepared
	}
	v.Nav = "customers"
	v.Title = c.Name
	p := customerPage{Customer: c}
	if hist, err := h.cfg.Customers.CustomerHistory(r.Context(), customers.CustomerHistoryInput{CustomerID: id, Page: pagination.Request{Limit: 100}}); err == nil {
		p.History = hist.Items
	}
	if notes, err := h.cfg.Customers.ListNotes(r.Context(), customers.ListNotesInput{CustomerID: id, Page: pagination.Request{Limit: 100}}); err == nil {
		p.Notes = notes.Items
	}
	if v.Can("vehicle.transfer") {
		p.Others = h.otherCustomers(r, id)
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
	_, err = h.cfg.Customers.AddNote(r.Context(), customers.AddNoteInput{CustomerID: id, Text: r.PostForm.Get("text")})
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
