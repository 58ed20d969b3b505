package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/errs"
)

// The JSON shapes of the records (API.md) sit beside the handlers of each
// resource (customers_json.go...). Personal fields are pointers with
// omitempty only where a role without access to personal data must not see
// them at all; absent optional values are null.

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

// withIDParam passes the {id} path parameter to next; an id that is not a
// UUID is simply not found (errors are written by Fail with log).
func withIDParam(log *slog.Logger, next func(http.ResponseWriter, *http.Request, uuid.UUID)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := idParam(r)
		if err != nil {
			Fail(w, r, log, err)
			return
		}
		next(w, r, id)
	}
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

// decodeUpdate reads an update's JSON body into dst, then its If-Match
// version (nil without one).
func decodeUpdate(r *http.Request, dst any) (*int64, error) {
	if err := DecodeJSON(r, dst); err != nil {
		return nil, err
	}
	return expectedVersion(r)
}

func expectedVersion(r *http.Request) (*int64, error) {
	v, has, err := IfMatch(r)
	if err != nil || !has {
		return nil, err
	}
	return &v, nil
}

// withID parses the {id} path parameter for handlers of one aggregate; an id
// that is not a UUID is simply not found.
func (h *RecordsHandlers) withID(next func(http.ResponseWriter, *http.Request, uuid.UUID)) http.HandlerFunc {
	return withIDParam(h.Log, next)
}

// writePage renders one page of a list in the API's envelope.
func writePage[T, J any](w http.ResponseWriter, res pagination.Page[T], conv func(T) J) {
	out := Page[J]{Items: make([]J, 0, len(res.Items)), NextCursor: res.NextCursor}
	for _, it := range res.Items {
		out.Items = append(out.Items, conv(it))
	}
	WriteJSON(w, http.StatusOK, out)
}

// opt is an optional string as JSON: "" (absent) is null.
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
