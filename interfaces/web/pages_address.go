package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/cep"
)

// cepLookup answers the form's address lookup as JSON; any failure is a
// 404 and the person types the address.
func (h *Handler) cepLookup(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if h.cfg.CEP == nil {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{}`))
		return
	}
	a, err := h.cfg.CEP.Lookup(r.Context(), chi.URLParam(r, "cep"))
	if err != nil {
		if !errors.Is(err, cep.ErrNotFound) && !errors.Is(err, cep.ErrInvalid) {
			h.cfg.Log.InfoContext(r.Context(), "web: CEP lookup unavailable", "err", err)
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{}`))
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"street": a.Street, "district": a.District,
		"city": a.City, "state": a.State, "complement": a.Complement})
}
