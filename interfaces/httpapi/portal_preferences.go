package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/domain/messaging"
)

// MountPortal registers the car owner's message preferences, relative to
// /api/v1/portal/{slug} (API.md "Customer portal": GET/PUT
// .../me/preferences, the same body as the staff
// PUT .../customers/{id}/preferences).
func (h *MessagingHandlers) MountPortal(r chi.Router) {
	r.Get("/me/preferences", h.getMyPreferences)
	r.Put("/me/preferences", h.putMyPreferences)
}

func (h *MessagingHandlers) getMyPreferences(w http.ResponseWriter, r *http.Request) {
	p, err := h.Messaging.GetMyPreferences(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toPreferencesJSON(p))
}

func (h *MessagingHandlers) putMyPreferences(w http.ResponseWriter, r *http.Request) {
	in, err := decodePreferences(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.Messaging.SetMyPreferences(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toPreferencesJSON(p))
}

// preferencesRequest is the body of PUT .../preferences (staff and portal).
type preferencesRequest struct {
	Channels   []string        `json:"channels"`
	Reminders  string          `json:"reminders"`
	QuietHours *quietHoursJSON `json:"quiet_hours"`
}

func (req preferencesRequest) input() messaging.PreferencesInput {
	in := messaging.PreferencesInput{Channels: req.Channels, Reminders: req.Reminders}
	if req.QuietHours != nil {
		in.QuietFrom, in.QuietTo = req.QuietHours.From, req.QuietHours.To
	}
	return in
}

// decodePreferences reads a preferences body strictly.
func decodePreferences(r *http.Request) (messaging.PreferencesInput, error) {
	var req preferencesRequest
	if err := DecodeJSON(r, &req); err != nil {
		return messaging.PreferencesInput{}, err
	}
	return req.input(), nil
}

// DecodePreferences decodes a preferences body strictly (exported for its
// fuzz test).
func DecodePreferences(body []byte) (messaging.PreferencesInput, error) {
	var req preferencesRequest
	if err := DecodeJSONBytes(body, &req); err != nil {
		return messaging.PreferencesInput{}, err
	}
	return req.input(), nil
}
