package httpapi

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
)

// RecordsHandlers serve a workshop's records (API.md): customers and the
// notes about them, vehicles, service orders, the data-subject rights of
// the LGPD and the audit log of personal-data reads.
type RecordsHandlers struct {
	Customers     *customers.UseCases
	Vehicles      *vehicles.UseCases
	ServiceOrders *serviceorders.UseCases
	DataSubject   *datasubject.UseCases
	Log           *slog.Logger
}

// MountWorkshop registers the routes under /api/v1/workshops/{slug} (the
// caller has already been authenticated and scoped to the workshop).
func (h *RecordsHandlers) MountWorkshop(r chi.Router) {
	r.Use(auditEndpoint)
	r.Post("/customers", h.registerCustomer)
	r.Get("/customers", h.searchCustomers)
	r.Get("/customers/{id}", h.withID(h.getCustomer))
	r.Patch("/customers/{id}", h.withID(h.patchCustomer))
	r.Delete("/customers/{id}", h.withID(h.eraseCustomer))
	r.Post("/customers/{id}/notes", h.withID(h.addNote))
	r.Get("/customers/{id}/notes", h.withID(h.listNotes))
	r.Get("/customers/{id}/history", h.withID(h.customerHistory))
	r.Get("/customers/{id}/export", h.withID(h.exportCustomer))
	r.Get("/customers/{id}/consents", h.withID(h.listConsents))
	r.Post("/customers/{id}/consents", h.withID(h.giveConsent))
	r.Delete("/customers/{id}/consents/{purpose}", h.withID(h.withdrawConsent))
	r.Post("/customers/{id}/vehicles", h.withID(h.addVehicle))
	r.Get("/vehicles/{id}", h.withID(h.getVehicle))
	r.Patch("/vehicles/{id}", h.withID(h.patchVehicle))
	r.Get("/vehicles/{id}/history", h.withID(h.vehicleHistory))
	r.Post("/vehicles/{id}/transfer", h.withID(h.transferVehicle))
	r.Post("/service-orders", h.openOrder)
	r.Get("/service-orders", h.listOrders)
	r.Get("/service-orders/{id}", h.withID(h.getOrder))
	r.Post("/service-orders/{id}/status", h.withID(h.changeStatus))
	r.Get("/audit-log", h.auditLog)
}

// auditEndpoint names the route in the audit log of personal-data reads.
func auditEndpoint(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := auditlog.WithEndpoint(r.Context(), r.Method+" "+r.URL.Path)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (h *RecordsHandlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	Fail(w, r, h.Log, err)
}

func pageRequest(r *http.Request) (pagination.Request, error) {
	limit, err := Limit(r)
	if err != nil {
		return pagination.Request{}, err
	}
	return pagination.Request{Limit: limit, Cursor: r.URL.Query().Get("cursor")}, nil
}

func idParam(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		return uuid.Nil, errs.ErrNotFound
	}
	return id, nil
}

func writeVersioned(w http.ResponseWriter, status int, version int64, v any) {
	w.Header().Set("ETag", ETag(version))
	WriteJSON(w, status, v)
}

func expectedVersion(r *http.Request) (*int64, error) {
	v, has, err := IfMatch(r)
	if err != nil || !has {
		return nil, err
	}
	return &v, nil
}

// customerRequest is the body of POST /customers.
type customerRequest struct {
	Name     string `json:"name"`
	Document string `json:"document"`
	Email    string `json:"email"`
	Phones   struct {
		Mobile   string `json:"mobile"`
		Landline string `json:"landline"`
	} `json:"phones"`
	Address struct {
		Street     string `json:"street"`
		Number     string `json:"number"`
		Complement string `json:"complement"`
		District   string `json:"district"`
		City       string `json:"city"`
		State      string `json:"state"`
		PostalCode string `json:"postal_code"`
	} `json:"address"`
	MarketingConsent bool `json:"marketing_consent"`
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
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	exp, err := expectedVersion(r)
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

func (h *RecordsHandlers) eraseCustomer(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	if err := h.DataSubject.EraseCustomer(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *RecordsHandlers) addNote(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req struct {
		Text string `json:"text"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := h.Customers.AddNote(r.Context(), customers.AddNoteInput{CustomerID: id, Text: req.Text})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, toNoteJSON(n))
}

func (h *RecordsHandlers) listNotes(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Customers.ListNotes(r.Context(), customers.ListNotesInput{CustomerID: id, Page: page})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePage(w, res, toNoteJSON)
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

type exportJSON struct {
	GeneratedAt   time.Time          `json:"generated_at"`
	Customer      customerJSON       `json:"customer"`
	Vehicles      []exportVehicle    `json:"vehicles"`
	ServiceOrders []serviceOrderJSON `json:"service_orders"`
	Notes         []noteJSON         `json:"notes"`
	Consents      []consentJSON      `json:"consents"`
	Messages      []messageJSON      `json:"messages"`
}

type exportVehicle struct {
	vehicleJSON
	Readings []readingJSON `json:"odometer_readings"`
}

type messageJSON struct {
	ID       uuid.UUID `json:"id"`
	Channel  string    `json:"channel"`
	Template string    `json:"template"`
	SentAt   time.Time `json:"sent_at"`
	Status   string    `json:"status"`
}

func (h *RecordsHandlers) exportCustomer(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	ex, err := h.DataSubject.ExportCustomer(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := exportJSON{GeneratedAt: ex.GeneratedAt.UTC(), Customer: toCustomerJSON(ex.Profile, false),
		Vehicles: []exportVehicle{}, ServiceOrders: []serviceOrderJSON{}, Notes: []noteJSON{},
		Consents: toConsentsJSON(ex.Consents), Messages: []messageJSON{}}
	for _, v := range ex.Vehicles {
		out.Vehicles = append(out.Vehicles, exportVehicle{toVehicleJSON(v.Vehicle), toReadingsJSON(v.Readings)})
	}
	for _, o := range ex.ServiceOrders {
		out.ServiceOrders = append(out.ServiceOrders, toOrderJSON(o))
	}
	for _, n := range ex.Notes {
		out.Notes = append(out.Notes, toNoteJSON(n))
	}
	for _, m := range ex.Messages {
		out.Messages = append(out.Messages, messageJSON{ID: m.ID, Channel: m.Channel, Template: m.Template, SentAt: m.SentAt.UTC(), Status: m.Status})
	}
	w.Header().Set("Content-Disposition", `attachment; filename="customer-`+id.String()+`.json"`)
	WriteJSON(w, http.StatusOK, out)
}

func (h *RecordsHandlers) listConsents(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	cs, err := h.DataSubject.ListConsents(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": toConsentsJSON(cs)})
}

func (h *RecordsHandlers) giveConsent(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req struct {
		Purpose string `json:"purpose"`
		Channel string `json:"channel"`
		Source  string `json:"source"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	cs, err := h.DataSubject.GiveConsent(r.Context(), datasubject.GiveConsentInput{CustomerID: id, Purpose: req.Purpose,
		Channel: req.Channel, Source: req.Source})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, map[string]any{"items": toConsentsJSON(cs)})
}

func (h *RecordsHandlers) withdrawConsent(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	cs, err := h.DataSubject.WithdrawConsent(r.Context(), datasubject.WithdrawConsentInput{CustomerID: id,
		Purpose: chi.URLParam(r, "purpose"), Source: r.URL.Query().Get("source")})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": toConsentsJSON(cs)})
}

type vehicleRequest struct {
	Plate     string `json:"plate"`
	Make      string `json:"make"`
	Model     string `json:"model"`
	Year      int    `json:"year"`
	Color     string `json:"color"`
	MileageKm *int64 `json:"mileage_km"`
}

func (h *RecordsHandlers) addVehicle(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req vehicleRequest
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Vehicles.AddVehicle(r.Context(), vehicles.AddVehicleInput{CustomerID: id, Vehicle: vehicle.RegisterInput{
		Plate: req.Plate, Make: req.Make, Model: req.Model, Year: req.Year, Color: req.Color, MileageKm: req.MileageKm}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := r.URL.Path[:strings.Index(r.URL.Path, "/customers/")]
	w.Header().Set("Location", base+"/vehicles/"+v.ID.String())
	writeVersioned(w, http.StatusCreated, v.Version, toVehicleJSON(v))
}

func (h *RecordsHandlers) getVehicle(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	v, err := h.Vehicles.GetVehicle(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, v.Version, toVehicleJSON(v))
}

func (h *RecordsHandlers) patchVehicle(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req struct {
		Plate Optional[string] `json:"plate"`
		Make  Optional[string] `json:"make"`
		Model Optional[string] `json:"model"`
		Year  Optional[int]    `json:"year"`
		Color Optional[string] `json:"color"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	exp, err := expectedVersion(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var c errs.Collector
	for name, o := range map[string]Optional[string]{"plate": req.Plate, "make": req.Make, "model": req.Model} {
		if o.Set && o.Null {
			c.Add(name, "required", name+" cannot be removed")
		}
	}
	if req.Year.Set && req.Year.Null {
		c.Add("year", "required", "year cannot be removed")
	}
	if err := c.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	patch := vehicle.Patch{Plate: req.Plate.Ptr(), Make: req.Make.Ptr(), Model: req.Model.Ptr(), Year: req.Year.Ptr(), Color: str(req.Color)}
	v, err := h.Vehicles.CorrectVehicle(r.Context(), vehicles.CorrectVehicleInput{VehicleID: id, Patch: patch, ExpectedVersion: exp})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, v.Version, toVehicleJSON(v))
}

func (h *RecordsHandlers) vehicleHistory(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	vh, err := h.Vehicles.VehicleHistory(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	orders := []serviceOrderJSON{}
	for _, o := range vh.ServiceOrders {
		orders = append(orders, toOrderJSON(o))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"vehicle": toVehicleJSON(vh.Vehicle), "items": orders,
		"service_orders": orders, "odometer_readings": toReadingsJSON(vh.Readings)})
}

func (h *RecordsHandlers) transferVehicle(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req struct {
		CustomerID string `json:"customer_id"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	exp, err := expectedVersion(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Vehicles.TransferVehicle(r.Context(), vehicles.TransferVehicleInput{VehicleID: id, CustomerID: req.CustomerID, ExpectedVersion: exp})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, v.Version, toVehicleJSON(v))
}

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

func (h *RecordsHandlers) auditLog(w http.ResponseWriter, r *http.Request) {
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := datasubject.ListAuditLogInput{Actor: r.URL.Query().Get("actor"), Page: page}
	if s := r.URL.Query().Get("subject_id"); s != "" {
		id, err := uuid.Parse(s)
		if err != nil {
			h.fail(w, r, errs.Invalid("subject_id", "invalid_format", "subject_id must be a UUID"))
			return
		}
		in.SubjectID = id
	}
	res, err := h.DataSubject.ListAuditLog(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	type entry struct {
		ID        uuid.UUID `json:"id"`
		Actor     string    `json:"actor"`
		At        time.Time `json:"at"`
		SubjectID uuid.UUID `json:"subject_id"`
		Fields    []string  `json:"fields"`
		Endpoint  string    `json:"endpoint"`
	}
	writePage(w, res, func(e auditlog.Entry) entry {
		return entry{ID: e.ID, Actor: e.Actor, At: e.At.UTC(), SubjectID: e.SubjectID, Fields: e.Fields, Endpoint: e.Endpoint}
	})
}

// withID parses the {id} path parameter for handlers of one aggregate; an id
// that is not a UUID is simply not found.
func (h *RecordsHandlers) withID(next func(http.ResponseWriter, *http.Request, uuid.UUID)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := idParam(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		next(w, r, id)
	}
}

// writePage renders one page of a registry list in the API's envelope.
func writePage[T, J any](w http.ResponseWriter, res pagination.Page[T], conv func(T) J) {
	out := Page[J]{Items: make([]J, 0, len(res.Items)), NextCursor: res.NextCursor}
	for _, it := range res.Items {
		out.Items = append(out.Items, conv(it))
	}
	WriteJSON(w, http.StatusOK, out)
}
