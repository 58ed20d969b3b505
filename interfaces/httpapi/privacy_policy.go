package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/workshops"
)

func (h *AccountHandlers) privacyPolicy(w http.ResponseWriter, r *http.Request) {
	v, err := h.Workshops.GetPrivacyPolicy(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	text := v.Profile.PrivacyPolicy
	if text == "" {
		text = workshops.DefaultPrivacyPolicy(v)
	}
	WriteJSON(w, http.StatusOK, map[string]any{"workshop": v.Slug, "name": v.Name, "text": text,
		"customized": v.Profile.PrivacyPolicy != ""})
}
