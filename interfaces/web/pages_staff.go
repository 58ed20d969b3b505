package web

import (
	"errors"
	"net/http"
	"sort"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/staff"
	"github.com/torquehq/torque/domain/errs"
)

type staffPage struct {
	Staff []staff.Member
	Roles []string
}

func (h *Handler) staff(w http.ResponseWriter, r *http.Request) {
	h.renderStaff(w, r, http.StatusOK, nil)
}

func (h *Handler) renderStaff(w http.ResponseWriter, r *http.Request, status int, prepared *view) {
	v := h.newView(r, "web.staff.title")
	if prepared != nil {
		v = *prepared
	}
	v.Nav = "staff"
	list, err := h.cfg.Staff.ListStaff(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	v.Data = staffPage{Staff: list, Roles: []string{"owner", "manager", "advisor", "mechanic"}}
	h.render(w, r, status, "staff", v)
}

func (h *Handler) staffInvite(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	_, err := h.cfg.Staff.InviteStaff(r.Context(), staff.InviteInput{Name: r.PostForm.Get("name"),
		Email: r.PostForm.Get("email"), Role: r.PostForm.Get("role")})
	if err != nil {
		v := h.newView(r, "web.staff.title")
		v.Form = r.PostForm
		if h.formErrors(r, &v, err) {
			h.renderStaff(w, r, http.StatusUnprocessableEntity, &v)
			return
		}
		if errors.Is(err, errs.ErrEmailUnverified) {
			v.Alert = tr(v.L, "problem.email_unverified")
			h.renderStaff(w, r, http.StatusForbidden, &v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/staff"), "staff_invited"))
}

func (h *Handler) staffRole(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	err := h.cfg.Staff.ChangeStaffRole(r.Context(), chi.URLParam(r, "identity"), r.PostForm.Get("role"))
	if err != nil {
		v := h.newView(r, "web.staff.title")
		if h.formErrors(r, &v, err) {
			if msg, ok := v.Errors["role"]; ok {
				v.Alert = msg
			}
			h.renderStaff(w, r, http.StatusUnprocessableEntity, &v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/staff"), "role_changed"))
}
