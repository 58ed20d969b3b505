package httpapi

import (
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/domain/customer"
)

// customerRequest is the body of POST /customers.
type customerRequest struct {
	Name     string `json:"name"`
	Document string `json:"document"`
	Email    string `json:"email"`
	Phones   struct {
		Mobile   string `json:"mobile"`
		Landline string `json:"landline"`
	} `json:"phones"`
	Address          addressJSON `json:"address"`
	MarketingConsent bool        `json:"marketing_consent"`
}

func (h *RecordsHandlers) registerCustomer(w http.ResponseWriter, r *http.Request) {
	var req customerRequest
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.Customers.RegisterCustomer(r.Context(), customer.RegisterInput{
		Name: req.Name, Document: req.Document, Email: req.Email,
		Phones: customer.PhonesInput{Mobile: req.Phones.Mobile, Landline: req.Phones.Landline},
		Address: customer.AddressInput{Street: req.Address.Street, Number: req.Address.Number,
			Complement: req.Address.Complement, District: req.Address.District, City: req.Address.City,
			State: req.Address.State, PostalCode: req.Address.PostalCode},
		MarketingConsent: req.MarketingConsent, Source: "api",
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+c.ID.String())
	writeVersioned(w, http.StatusCreated, c.Version, toCustomerJSON(c, true))
}

func (h *RecordsHandlers) getCustomer(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	c, err := h.Customers.GetCustomer(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, c.Version, toCustomerJSON(c, true))
}

// customerPatchRequest is a JSON merge patch of the customer (RFC 7396).
type customerPatchRequest struct {
	Name     Optional[string] `json:"name"`
	Document Optional[string] `json:"document"`
	Email    Optional[string] `json:"email"`
	Phones   Optional[struct {
		Mobile   Optional[string] `json:"mobile"`
		Landline Optional[string] `json:"landline"`
	}] `json:"phones"`
	Address          Optional[addressPatch] `json:"address"`
	MarketingConsent Optional[bool]         `json:"marketing_consent"`
}

func dom[T any](o Optional[T]) customer.Optional[T] {
	return customer.Optional[T]{Set: o.Set, Null: o.Null, Value: o.Value}
}

func (h *RecordsHandlers) patchCustomer(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req customerPatchRequest
	exp, err := decodeUpdate(r, &req)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	patch := customer.CustomerPatch{Name: dom(req.Name), Document: dom(req.Document), Email: dom(req.Email),
		MarketingConsent: dom(req.MarketingConsent), Source: "api"}
	if req.Phones.Set {
		p := req.Phones.Value
		patch.Phones = customer.Optional[customer.PhonesPatch]{Set: true, Null: req.Phones.Null,
			Value: customer.PhonesPatch{Mobile: dom(p.Mobile), Landline: dom(p.Landline)}}
	}
	if req.Address.Set {
		a := req.Address.Value
		patch.Address = customer.Optional[customer.AddressPatch]{Set: true, Null: req.Address.Null,
			Value: customer.AddressPatch{Street: dom(a.Street), Number: dom(a.Number), Complement: dom(a.Complement),
				District: dom(a.District), City: dom(a.City), State: dom(a.State), PostalCode: dom(a.PostalCode)}}
	}
	c, err := h.Customers.CorrectCustomer(r.Context(), customers.CorrectCustomerInput{CustomerID: id, Patch: patch, ExpectedVersion: exp})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, c.Version, toCustomerJSON(c, true))
}

func (h *RecordsHandlers) searchCustomers(w http.ResponseWriter, r *http.Request) {
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Customers.SearchCustomers(r.Context(), customers.SearchCustomersInput{Query: r.URL.Query().Get("q"), Page: page})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePage(w, res, func(c customers.Customer) customerJSON { return toCustomerJSON(c, false) })
}

func (h *RecordsHandlers) customerHistory(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Customers.CustomerHistory(r.Context(), customers.CustomerHistoryInput{CustomerID: id, Page: page})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePage(w, res, func(e customers.HistoryEntry) serviceOrderJSON {
		o := toOrderJSON(e.Order)
		o.Vehicle = &vehicleRefJSON{ID: e.Vehicle.ID, Plate: opt(e.Vehicle.Plate)}
		return o
	})
}
