package httpapi

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/booking"
)

// BookingHandlers serve online booking (API.md, "Customer portal"): the
// staff's booking settings and appointments under /api/v1/workshops/{slug}
// and the car owner's slots and appointments under /api/v1/portal/{slug}.
type BookingHandlers struct {
	Booking *booking.UseCases
	Log     *slog.Logger
}

// MountWorkshop registers the staff routes (the caller is authenticated
// and scoped to the workshop).
func (h *BookingHandlers) MountWorkshop(r chi.Router) {
	r.Get("/booking-settings", h.getSettings)
	r.Put("/booking-settings", h.putSettings)
	r.Get("/appointments", h.listAppointments)
	r.Post("/appointments/{id}/status", h.withID(h.changeStatus))
}

// MountPortal registers the car owner's routes, relative to
// /api/v1/portal/{slug} (the caller is a portal principal of the workshop).
func (h *BookingHandlers) MountPortal(r chi.Router) {
	r.Get("/slots", h.slots)
	r.Post("/appointments", h.book)
	r.Get("/appointments", h.myAppointments)
	r.Delete("/appointments/{id}", h.withID(h.cancelMine))
}

func (h *BookingHandlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	Fail(w, r, h.Log, err)
}

func (h *BookingHandlers) withID(next func(http.ResponseWriter, *http.Request, uuid.UUID)) http.HandlerFunc {
	return withIDParam(h.Log, next)
}

type bookingSettingsJSON struct {
	Bays           int            `json:"bays"`
	SlotMinutes    int            `json:"slot_minutes"`
	ServiceMinutes map[string]int `json:"service_minutes"`
}

func toSettingsJSON(s booking.Settings) bookingSettingsJSON {
	m := s.ServiceMinutes
	if m == nil {
		m = map[string]int{}
	}
	return bookingSettingsJSON{Bays: s.Bays, SlotMinutes: s.SlotMinutes, ServiceMinutes: m}
}

func (h *BookingHandlers) getSettings(w http.ResponseWriter, r *http.Request) {
	s, err := h.Booking.GetSettings(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, s.Version, toSettingsJSON(s))
}

func (h *BookingHandlers) putSettings(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Bays           *int           `json:"bays"`
		SlotMinutes    *int           `json:"slot_minutes"`
		ServiceMinutes map[string]int `json:"service_minutes"`
	}
	exp, err := decodeUpdate(r, &req)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := booking.UpdateSettingsInput{ServiceMinutes: req.ServiceMinutes, ExpectedVersion: exp}
	if req.Bays != nil {
		in.Bays = *req.Bays
	}
	if req.SlotMinutes != nil {
		in.SlotMinutes = *req.SlotMinutes
	}
	s, err := h.Booking.UpdateSettings(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, s.Version, toSettingsJSON(s))
}

type appointmentJSON struct {
	ID                 string   `json:"id"`
	CustomerID         string   `json:"customer_id"`
	VehicleID          string   `json:"vehicle_id"`
	Services           []string `json:"services"`
	Start              string   `json:"start"`
	End                string   `json:"end"`
	Status             string   `json:"status"`
	Note               string   `json:"note"`
	ServiceOrderID     *string  `json:"service_order_id"`
	ServiceOrderNumber *int64   `json:"service_order_number,omitempty"`
	BookedBy           string   `json:"booked_by"`
	CreatedAt          string   `json:"created_at"`
}

func toAppointmentJSON(a booking.Appointment) appointmentJSON {
	out := appointmentJSON{ID: a.ID.String(), CustomerID: a.CustomerID.String(), VehicleID: a.VehicleID.String(),
		Services: a.Services, Start: a.Start.UTC().Format(time.RFC3339), End: a.End.UTC().Format(time.RFC3339),
		Status: a.Status, Note: a.Note, BookedBy: a.BookedBy, CreatedAt: a.BookedAt.UTC().Format(time.RFC3339)}
	if out.Services == nil {
		out.Services = []string{}
	}
	if a.ServiceOrderID != uuid.Nil {
		s := a.ServiceOrderID.String()
		out.ServiceOrderID = &s
	}
	if a.ServiceOrderNumber > 0 {
		n := a.ServiceOrderNumber
		out.ServiceOrderNumber = &n
	}
	return out
}

func writeAppointments(w http.ResponseWriter, list []booking.Appointment) {
	out := Page[appointmentJSON]{Items: make([]appointmentJSON, 0, len(list))}
	for _, a := range list {
		out.Items = append(out.Items, toAppointmentJSON(a))
	}
	WriteJSON(w, http.StatusOK, out)
}

func (h *BookingHandlers) listAppointments(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	list, err := h.Booking.ListAppointments(r.Context(), booking.ListAppointmentsInput{From: q.Get("from"), To: q.Get("to")})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeAppointments(w, list)
}

func (h *BookingHandlers) changeStatus(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req struct {
		Status string `json:"status"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.Booking.ChangeAppointmentStatus(r.Context(), booking.ChangeAppointmentStatusInput{ID: id, Status: req.Status})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toAppointmentJSON(a))
}

type slotJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

func (h *BookingHandlers) slots(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	slots, err := h.Booking.FindSlots(r.Context(), booking.SlotQueryInput{Services: q.Get("services"), From: q.Get("from"), To: q.Get("to")})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := struct {
		Items []slotJSON `json:"items"`
	}{Items: make([]slotJSON, 0, len(slots))}
	for _, s := range slots {
		out.Items = append(out.Items, slotJSON{Start: s.Start.Format(time.RFC3339), End: s.End.Format(time.RFC3339)})
	}
	WriteJSON(w, http.StatusOK, out)
}

func (h *BookingHandlers) book(w http.ResponseWriter, r *http.Request) {
	var req struct {
		VehicleID string   `json:"vehicle_id"`
		Services  []string `json:"services"`
		Start     string   `json:"start"`
		Note      string   `json:"note"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.Booking.BookAppointment(r.Context(), booking.BookAppointmentInput{VehicleID: req.VehicleID,
		Services: req.Services, Start: req.Start, Note: req.Note})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+a.ID.String())
	WriteJSON(w, http.StatusCreated, toAppointmentJSON(a))
}

func (h *BookingHandlers) myAppointments(w http.ResponseWriter, r *http.Request) {
	list, err := h.Booking.MyAppointments(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeAppointments(w, list)
}

func (h *BookingHandlers) cancelMine(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	if _, err := h.Booking.CancelMyAppointment(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
