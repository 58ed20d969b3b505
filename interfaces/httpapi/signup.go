package httpapi

import (
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/signup"
)

type signupRequest struct {
	WorkshopName string `json:"workshop_name"`
	Slug         string `json:"slug"`
	Plan         string `json:"plan"`
	Owner        struct {
		Name     string `json:"name"`
		Email    string `json:"email"`
		Password string `json:"password"`
	} `json:"owner"`
}

type workshopSummary struct {
	ID     uuid.UUID `json:"id"`
	Slug   string    `json:"slug"`
	Name   string    `json:"name"`
	Status string    `json:"status"`
	Plan   string    `json:"plan"`
}

func (h *AccountHandlers) signup(w http.ResponseWriter, r *http.Request) {
	if !h.Limits.SignupPerIP.Allow(h.clientIP(r)) {
		h.tooMany(w)
		return
	}
	var req signupRequest
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.Limits.SignupPerIdentifier.Allow(strings.ToLower(strings.TrimSpace(req.Owner.Email))) {
		h.tooMany(w)
		return
	}
	res, err := h.Signup.SignUpWorkshop(r.Context(), signup.Input{WorkshopName: req.WorkshopName, Slug: req.Slug,
		Plan: req.Plan, OwnerName: req.Owner.Name, OwnerEmail: req.Owner.Email, OwnerPass: req.Owner.Password})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ws := res.Workshop
	w.Header().Set("Location", "/api/v1/workshops/"+ws.Slug)
	WriteJSON(w, http.StatusCreated, map[string]any{
		"workshop":     workshopSummary{ID: ws.ID, Slug: ws.Slug, Name: ws.Name, Status: ws.Status, Plan: ws.Plan},
		"checkout_url": nullable(res.CheckoutURL),
	})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
