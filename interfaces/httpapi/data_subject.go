package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/datasubject"
)

func (h *RecordsHandlers) eraseCustomer(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	if err := h.DataSubject.EraseCustomer(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *RecordsHandlers) exportCustomer(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	ex, err := h.DataSubject.ExportCustomer(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := toExportJSON(ex)
	w.Header().Set("Content-Disposition", `attachment; filename="customer-`+id.String()+`.json"`)
	WriteJSON(w, http.StatusOK, out)
}

// toExportJSON is the LGPD export as the API shows it (staff and portal).
func toExportJSON(ex datasubject.Export) exportJSON {
	out := exportJSON{GeneratedAt: ex.GeneratedAt.UTC(), Customer: toCustomerJSON(ex.Profile, false),
		Vehicles: []exportVehicle{}, ServiceOrders: []serviceOrderJSON{}, Notes: []noteJSON{},
		Consents: toConsentsJSON(ex.Consents), Messages: []messageJSON{}}
	for _, v := range ex.Vehicles {
		out.Vehicles = append(out.Vehicles, exportVehicle{toVehicleJSON(v.Vehicle), toReadingsJSON(v.Readings)})
	}
	for _, o := range ex.ServiceOrders {
		out.ServiceOrders = append(out.ServiceOrders, toOrderJSON(o))
	}
	for _, n := range ex.Notes {
		out.Notes = append(out.Notes, toNoteJSON(n))
	}
	for _, m := range ex.Messages {
		out.Messages = append(out.Messages, messageJSON{ID: m.ID, Channel: m.Channel, Template: m.Template, SentAt: m.SentAt.UTC(), Status: m.Status})
	}
	return out
}

func (h *RecordsHandlers) listConsents(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	cs, err := h.DataSubject.ListConsents(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": toConsentsJSON(cs)})
}

func (h *RecordsHandlers) giveConsent(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req struct {
		Purpose string `json:"purpose"`
		Channel string `json:"channel"`
		Source  string `json:"source"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	cs, err := h.DataSubject.GiveConsent(r.Context(), datasubject.GiveConsentInput{CustomerID: id, Purpose: req.Purpose,
		Channel: req.Channel, Source: req.Source})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, map[string]any{"items": toConsentsJSON(cs)})
}

func (h *RecordsHandlers) withdrawConsent(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	cs, err := h.DataSubject.WithdrawConsent(r.Context(), datasubject.WithdrawConsentInput{CustomerID: id,
		Purpose: chi.URLParam(r, "purpose"), Source: r.URL.Query().Get("source")})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": toConsentsJSON(cs)})
}
