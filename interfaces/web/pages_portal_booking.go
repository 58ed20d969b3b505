package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/booking"
	"github.com/torquehq/torque/domain/errs"
)

// The portal's online booking (/p/{slug}/agendar): the car owner picks one
// of their vehicles and the services, sees the free slots of the next two
// weeks, books one, and lists or cancels their appointments. Everything runs
// application/booking as the car owner (own vehicles and appointments only).

func init() {
	registerPortalFeature(portalFeature{
		Link: portalLink{Key: "appointments", Path: "agendar", LabelKey: "web.portal.nav.appointments"},
		Mount: func(h *Handler, r chi.Router) {
			r.Get("/agendar", h.portalBooking)
			r.Post("/agendar", h.portalBook)
			r.Post("/agendar/{id}/cancelar", h.portalCancelAppointment)
		},
	})
}

type portalBookingVehicle struct{ ID, Label string }

type portalAppointment struct {
	ID, When, Services, Status string
	Cancellable                bool
}

type portalBookingPage struct {
	Vehicles     []portalBookingVehicle
	Services     []catalogItem
	Chosen       map[string]bool
	Vehicle      string
	Searched     bool
	Slots        []agendaSlot
	Appointments []portalAppointment
}

func (h *Handler) portalBooking(w http.ResponseWriter, r *http.Request) {
	v := h.portalView(r, "web.portal.booking.title", "appointments")
	v.Form = r.URL.Query()
	switch r.URL.Query().Get("ok") {
	case "booked":
		v.Flash = tr(v.L, "web.portal.booking.booked")
	case "cancelled":
		v.Flash = tr(v.L, "web.portal.booking.cancelled")
	}
	h.renderPortalBooking(w, r, http.StatusOK, v)
}

func (h *Handler) renderPortalBooking(w http.ResponseWriter, r *http.Request, status int, v view) {
	if h.cfg.Booking == nil {
		h.portalFail(w, r, errs.ErrNotFound)
		return
	}
	ctx := r.Context()
	me, err := h.cfg.Portal.Me(ctx)
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	loc, err := h.cfg.Booking.Location(ctx)
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	d := portalBookingPage{Services: catalogItems(), Chosen: map[string]bool{}, Vehicle: v.Form.Get("vehicle")}
	for _, veh := range me.Vehicles {
		d.Vehicles = append(d.Vehicles, portalBookingVehicle{ID: veh.ID.String(),
			Label: strings.TrimSpace(veh.Make + " " + veh.Model + " · " + veh.Plate)})
	}
	chosen := v.Form["services"]
	for _, s := range chosen {
		d.Chosen[s] = true
	}
	if len(chosen) > 0 {
		d.Searched = true
		now := time.Now()
		slots, err := h.cfg.Booking.FindSlots(ctx, booking.SlotQueryInput{Services: strings.Join(chosen, ","),
			From: now.Format(time.RFC3339), To: now.Add(14 * 24 * time.Hour).Format(time.RFC3339)})
		if err != nil && !h.formErrors(r, &v, err) {
			h.portalFail(w, r, err)
			return
		}
		for _, s := range slots {
			l := s.Start.In(loc)
			d.Slots = append(d.Slots, agendaSlot{Value: s.Start.Format(time.RFC3339), Label: dayLabel(v, l) + " " + l.Format("15:04")})
		}
	}
	mine, err := h.cfg.Booking.MyAppointments(ctx)
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	labels := map[string]string{}
	for _, c := range d.Services {
		labels[c.Code] = c.Label
	}
	for _, a := range mine {
		var names []string
		for _, s := range a.Services {
			if l := labels[s]; l != "" {
				names = append(names, l)
			} else {
				names = append(names, s)
			}
		}
		l := a.Start.In(loc)
		d.Appointments = append(d.Appointments, portalAppointment{ID: a.ID.String(), When: dayLabel(v, l) + " " + l.Format("15:04"),
			Services: strings.Join(names, ", "), Status: a.Status,
			Cancellable: (a.Status == "booked" || a.Status == "confirmed") && a.Start.After(time.Now())})
	}
	v.Data = d
	h.renderPortal(w, r, status, "portal_booking", v)
}

// portalBook is POST /p/{slug}/agendar; a slot taken meanwhile answers 409
// with the slots of now.
func (h *Handler) portalBook(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Booking == nil {
		h.portalFail(w, r, errs.ErrNotFound)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.portalError(w, r, http.StatusBadRequest, "web.error.generic")
		return
	}
	v := h.portalView(r, "web.portal.booking.title", "appointments")
	v.Form = r.PostForm
	_, err := h.cfg.Booking.BookAppointment(r.Context(), booking.BookAppointmentInput{VehicleID: r.PostForm.Get("vehicle"),
		Services: r.PostForm["services"], Start: r.PostForm.Get("start"), Note: r.PostForm.Get("note")})
	if err != nil {
		var ce *errs.ConflictError
		switch {
		case errors.As(err, &ce):
			v.Alert = tr(v.L, "web.portal.booking.taken")
			h.renderPortalBooking(w, r, http.StatusConflict, v)
		case h.formErrors(r, &v, err):
			h.renderPortalBooking(w, r, http.StatusUnprocessableEntity, v)
		default:
			h.portalFail(w, r, err)
		}
		return
	}
	http.Redirect(w, r, "/p/"+chi.URLParam(r, "slug")+"/agendar?ok=booked", http.StatusSeeOther)
}

// portalCancelAppointment is POST /p/{slug}/agendar/{id}/cancelar.
func (h *Handler) portalCancelAppointment(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil || h.cfg.Booking == nil {
		h.portalFail(w, r, errs.ErrNotFound)
		return
	}
	if _, err := h.cfg.Booking.CancelMyAppointment(r.Context(), id); err != nil {
		h.portalFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/p/"+chi.URLParam(r, "slug")+"/agendar?ok=cancelled", http.StatusSeeOther)
}
