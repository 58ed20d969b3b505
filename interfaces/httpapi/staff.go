package httpapi

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/staff"
)

type staffJSON struct {
	IdentityID string    `json:"identity_id"`
	Email      string    `json:"email"`
	Name       string    `json:"name"`
	Role       string    `json:"role"`
	Invited    bool      `json:"invited"`
	JoinedAt   time.Time `json:"joined_at"`
}

func toStaffJSON(s staff.Member) staffJSON {
	return staffJSON{IdentityID: s.IdentityID, Email: s.Email, Name: s.Name, Role: s.Role, Invited: s.Invited, JoinedAt: s.JoinedAt.UTC()}
}

func (h *AccountHandlers) listStaff(w http.ResponseWriter, r *http.Request) {
	members, err := h.Staff.ListStaff(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items := make([]staffJSON, 0, len(members))
	for _, s := range members {
		items = append(items, toStaffJSON(s))
	}
	WriteJSON(w, http.StatusOK, Page[staffJSON]{Items: items})
}

func (h *AccountHandlers) inviteStaff(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name  string `json:"name"`
		Email string `json:"email"`
		Role  string `json:"role"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	s, err := h.Staff.InviteStaff(r.Context(), staff.InviteInput{Name: req.Name, Email: req.Email, Role: req.Role})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, toStaffJSON(s))
}

func (h *AccountHandlers) changeRole(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Role string `json:"role"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	id := chi.URLParam(r, "identity_id")
	if err := h.Staff.ChangeStaffRole(r.Context(), id, req.Role); err != nil {
		h.fail(w, r, err)
		return
	}
	members, err := h.Staff.ListStaff(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, s := range members {
		if s.IdentityID == id {
			WriteJSON(w, http.StatusOK, toStaffJSON(s))
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *AccountHandlers) removeStaff(w http.ResponseWriter, r *http.Request) {
	if err := h.Staff.RemoveStaff(r.Context(), chi.URLParam(r, "identity_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
