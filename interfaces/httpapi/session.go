package httpapi

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/interfaces/session"
)

func (h *AccountHandlers) login(w http.ResponseWriter, r *http.Request) {
	if !h.Limits.LoginPerIP.Allow(h.clientIP(r)) {
		h.tooMany(w)
		return
	}
	var req struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	var c errs.Collector
	if strings.TrimSpace(req.Email) == "" {
		c.Add("email", "required", "e-mail is required")
	}
	if req.Password == "" {
		c.Add("password", "required", "password is required")
	}
	if err := c.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.Limits.LoginPerIdentifier.Allow(strings.ToLower(strings.TrimSpace(req.Email))) {
		h.tooMany(w)
		return
	}
	token, expires, err := h.Authn.LoginWithPassword(r.Context(), strings.TrimSpace(req.Email), req.Password)
	if err != nil {
		if errors.Is(err, errs.ErrUnauthenticated) {
			// The same answer whether or not the account exists.
			WriteProblem(w, Problem{Type: "/problems/login-failed", Status: http.StatusUnauthorized,
				Title: "Login failed", Detail: "Wrong e-mail or password."})
			return
		}
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"session_token": token, "expires_at": expires.UTC().Format(time.RFC3339)})
}

func (h *AccountHandlers) logout(w http.ResponseWriter, r *http.Request) {
	if tok := session.BearerToken(r); tok != "" {
		if err := h.Authn.Logout(r.Context(), tok); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func caller(r *http.Request) memberships.Caller {
	s, _ := SessionFrom(r.Context())
	return memberships.Caller{IdentityID: s.Identity.ID, Email: s.Identity.Email, Name: s.Identity.Name}
}

func (h *AccountHandlers) me(w http.ResponseWriter, r *http.Request) {
	c := caller(r)
	ms, fs, err := h.Memberships.Me(r.Context(), c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	type membership struct {
		Workshop     string    `json:"workshop"`
		WorkshopID   uuid.UUID `json:"workshop_id"`
		WorkshopName string    `json:"workshop_name"`
		Role         string    `json:"role"`
	}
	out := make([]membership, 0, len(ms))
	for _, m := range ms {
		out = append(out, membership{Workshop: m.WorkshopSlug, WorkshopID: m.WorkshopID, WorkshopName: m.WorkshopName, Role: m.Role})
	}
	if fs == nil {
		fs = []uuid.UUID{}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"identity_id": c.IdentityID, "email": c.Email, "name": c.Name,
		"memberships": out, "franchises": fs})
}
