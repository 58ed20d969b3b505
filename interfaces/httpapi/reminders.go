package httpapi

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/reminders"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// ReminderHandlers serve the preventive-maintenance reminders (API.md
// "Communication").
type ReminderHandlers struct {
	Reminders *reminders.UseCases
	Log       *slog.Logger
}

// MountWorkshop mounts the routes under /api/v1/workshops/{slug}.
func (h *ReminderHandlers) MountWorkshop(r chi.Router) {
	r.Get("/reminders", h.list)
	r.Post("/reminders/{vehicle_id}/{service}/dismiss", h.dismiss)
}

type reminderJSON struct {
	VehicleID         uuid.UUID `json:"vehicle_id"`
	Service           string    `json:"service"`
	DueAt             string    `json:"due_at"`
	DueKm             *int64    `json:"due_km"`
	PredictedKmPerDay float64   `json:"predicted_km_per_day"`
	Status            string    `json:"status"`
}

func toReminderJSON(it reminders.Item) reminderJSON {
	out := reminderJSON{VehicleID: it.VehicleID, Service: it.Service, DueAt: it.DueAt.Format(time.DateOnly),
		PredictedKmPerDay: float64(int64(it.KmPerDay*10+0.5)) / 10, Status: string(it.Status)}
	if it.HasDueKm {
		km := it.DueKm
		out.DueKm = &km
	}
	return out
}

// ParseDueBefore reads the due_before filter: a day ("2026-03-01", from
// its 00:00 UTC) or an RFC 3339 instant; "" is no filter. Anything else is
// a validation error on the field due_before.
func ParseDueBefore(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil && t.Year() >= 1 && t.Year() <= 9999 {
		return t.UTC(), nil
	}
	return time.Time{}, errs.Invalid("due_before", br.CodeInvalidFormat,
		"due_before must be a date (YYYY-MM-DD) or an RFC 3339 date-time")
}

func (h *ReminderHandlers) list(w http.ResponseWriter, r *http.Request) {
	page, err := pageRequest(r)
	if err != nil {
		Fail(w, r, h.Log, err)
		return
	}
	q := r.URL.Query()
	var col errs.Collector
	before, err := ParseDueBefore(q.Get("due_before"))
	if err != nil {
		col.Add("due_before", br.CodeInvalidFormat, "due_before must be a date (YYYY-MM-DD) or an RFC 3339 date-time")
	}
	var vehicleID uuid.UUID
	if v := q.Get("vehicle_id"); v != "" {
		if vehicleID, err = uuid.Parse(v); err != nil {
			col.Add("vehicle_id", br.CodeInvalidFormat, "vehicle_id must be a UUID")
		}
	}
	if err := col.Err(); err != nil {
		Fail(w, r, h.Log, err)
		return
	}
	res, err := h.Reminders.ListReminders(r.Context(), reminders.ListInput{DueBefore: before, VehicleID: vehicleID, Page: page})
	if err != nil {
		Fail(w, r, h.Log, err)
		return
	}
	writePage(w, res, toReminderJSON)
}

func (h *ReminderHandlers) dismiss(w http.ResponseWriter, r *http.Request) {
	vehicleID, err := uuid.Parse(chi.URLParam(r, "vehicle_id"))
	if err != nil {
		Fail(w, r, h.Log, errs.ErrNotFound)
		return
	}
	it, err := h.Reminders.DismissReminder(r.Context(), vehicleID, chi.URLParam(r, "service"))
	if err != nil {
		Fail(w, r, h.Log, err)
		return
	}
	WriteJSON(w, http.StatusOK, toReminderJSON(it))
}
