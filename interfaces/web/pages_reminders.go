package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/reminders"
	"github.com/torquehq/torque/domain/errs"
)

type reminderRow struct {
	VehicleID, Vehicle, Service string
	// DueDate is the due day as dd/mm/yyyy: a day, not an instant, so it
	// is not converted to the workshop's time zone.
	DueDate    string
	Overdue    bool
	DueKm      *int64
	KmPerDay   string
	Status     string
	CanDismiss bool
}

type remindersData struct {
	Rows     []reminderRow
	NextPage string
}

// reminders is the list of upcoming preventive maintenance.
func (h *Handler) reminders(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Reminders == nil {
		h.fail(w, r, errs.ErrNotFound)
		return
	}
	v := h.newView(r, "web.reminders.title")
	v.Nav = "reminders"
	q := r.URL.Query()
	v.Form = url.Values{"due_before": {q.Get("due_before")}}
	in := reminders.ListInput{Page: pagination.Request{Limit: 50, Cursor: q.Get("cursor")}}
	if s := strings.TrimSpace(q.Get("due_before")); s != "" {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			v.Errors["due_before"] = messages.FieldError(v.L, "invalid_format")
		} else {
			in.DueBefore = d.AddDate(0, 0, 1) // "until" the chosen day, inclusive
		}
	}
	page, err := h.cfg.Reminders.ListReminders(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	data := remindersData{}
	canDismiss := v.Can(string(authz.DismissReminder))
	for _, it := range page.Items {
		row := reminderRow{VehicleID: it.VehicleID.String(), Vehicle: it.Vehicle, Service: it.Service, DueDate: it.DueAt.UTC().Format("02/01/2006"),
			Overdue: it.DueAt.Before(today), KmPerDay: strconv.FormatFloat(it.KmPerDay, 'f', 0, 64), Status: string(it.Status),
			CanDismiss: canDismiss && (it.Status == "scheduled" || it.Status == "sent")}
		if it.HasDueKm {
			km := it.DueKm
			row.DueKm = &km
		}
		data.Rows = append(data.Rows, row)
	}
	if page.NextCursor != "" {
		next := url.Values{"cursor": {page.NextCursor}}
		if s := q.Get("due_before"); s != "" && v.Errors["due_before"] == "" {
			next.Set("due_before", s)
		}
		data.NextPage = h.appPath(r, "/reminders?"+next.Encode())
	}
	v.Data = data
	h.render(w, r, http.StatusOK, "reminders", v)
}

// reminderDismiss dismisses one reminder and returns to the list.
func (h *Handler) reminderDismiss(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Reminders == nil {
		h.fail(w, r, errs.ErrNotFound)
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "vehicle"))
	if err != nil {
		h.fail(w, r, errs.ErrNotFound)
		return
	}
	if _, err := h.cfg.Reminders.DismissReminder(r.Context(), id, chi.URLParam(r, "service")); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, h.appPath(r, "/reminders"))
}
