package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/catalog"
)

type serviceJSON struct {
	Code           string `json:"code"`
	Label          string `json:"label"`
	IntervalKm     int64  `json:"interval_km"`
	IntervalMonths int    `json:"interval_months"`
	Custom         bool   `json:"custom"`
}

func writeServices(w http.ResponseWriter, status int, services []catalog.Service) {
	items := make([]serviceJSON, 0, len(services))
	for _, s := range services {
		items = append(items, serviceJSON{Code: s.Code().String(), Label: s.Label(), IntervalKm: s.Interval().Km(),
			IntervalMonths: s.Interval().Months(), Custom: s.IsCustom()})
	}
	WriteJSON(w, status, Page[serviceJSON]{Items: items})
}

func (h *AccountHandlers) listServices(w http.ResponseWriter, r *http.Request) {
	services, err := h.Workshops.ListServices(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeServices(w, http.StatusOK, services)
}

func (h *AccountHandlers) defineService(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code           string `json:"code"`
		Label          string `json:"label"`
		IntervalKm     int64  `json:"interval_km"`
		IntervalMonths int    `json:"interval_months"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	services, err := h.Workshops.DefineService(r.Context(), workshops.DefineServiceInput{Code: req.Code, Label: req.Label,
		IntervalKm: req.IntervalKm, IntervalMonths: req.IntervalMonths})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeServices(w, http.StatusCreated, services)
}

func (h *AccountHandlers) removeService(w http.ResponseWriter, r *http.Request) {
	if err := h.Workshops.RemoveService(r.Context(), chi.URLParam(r, "code")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
