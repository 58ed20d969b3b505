package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/interfaces/session"
)

// MFAHandlers serve the workshop's second-factor policy (issue 10 item 4):
// whether every staff member must sign in with a second factor (TOTP).
type MFAHandlers struct {
	Workshops *workshops.UseCases
	// Scopes and Policy re-scope the request when an owner who has just
	// enrolled a factor turns the requirement on (session.RetryWithFreshFactor).
	Scopes session.WorkshopScopes
	Policy session.Policy
	Log    *slog.Logger
}

// MountWorkshop mounts the routes under /api/v1/workshops/{slug}.
func (h *MFAHandlers) MountWorkshop(r chi.Router) {
	r.Get("/security/mfa", h.get)
	r.Put("/security/mfa", h.put)
}

// MFAPolicyJSON is the body of GET and PUT …/security/mfa.
type MFAPolicyJSON struct {
	Required *bool `json:"required"`
}

func (h *MFAHandlers) get(w http.ResponseWriter, r *http.Request) {
	ws, err := h.Workshops.GetWorkshop(r.Context())
	if err != nil {
		Fail(w, r, h.Log, err)
		return
	}
	WriteJSON(w, http.StatusOK, MFAPolicyJSON{Required: &ws.MFARequired})
}

func (h *MFAHandlers) put(w http.ResponseWriter, r *http.Request) {
	in, err := DecodeMFAPolicy(r)
	if err != nil {
		Fail(w, r, h.Log, err)
		return
	}
	var ws workshops.WorkshopView
	err = session.RetryWithFreshFactor(r.Context(), h.Scopes, chi.URLParam(r, "slug"), h.Policy, func(ctx context.Context) error {
		var err error
		ws, err = h.Workshops.SetMFARequirement(ctx, in)
		return err
	})
	if err != nil {
		Fail(w, r, h.Log, err)
		return
	}
	WriteJSON(w, http.StatusOK, MFAPolicyJSON{Required: &ws.MFARequired})
}

// DecodeMFAPolicy reads {"required": true|false} strictly.
func DecodeMFAPolicy(r *http.Request) (bool, error) {
	var in MFAPolicyJSON
	if err := DecodeJSON(r, &in); err != nil {
		return false, err
	}
	if in.Required == nil {
		return false, errs.Invalid("required", "required", "required must be true or false")
	}
	return *in.Required, nil
}
