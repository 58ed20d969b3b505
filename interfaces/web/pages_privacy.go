package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/torquehq/torque/application/authz"
)

func (h *Handler) customerExport(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	ex, err := h.cfg.DataSubject.ExportCustomer(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="cliente-%s.json"`, id))
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(ex)
}

func (h *Handler) customerEraseConfirm(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r, authz.EraseCustomer) {
		return
	}
	c, ok := h.pathCustomer(w, r)
	if !ok {
		return
	}
	v := h.newView(r, "web.erase.title")
	v.Nav = "customers"
	v.Data = c
	h.render(w, r, http.StatusOK, "erase", v)
}

func (h *Handler) customerErase(w http.ResponseWriter, r *http.Request) {
	c, ok := h.pathCustomer(w, r)
	if !ok {
		return
	}
	_ = r.ParseForm()
	if strings.TrimSpace(r.PostForm.Get("confirm")) != c.Name {
		v := h.newView(r, "web.erase.title")
		v.Nav = "customers"
		v.Data = c
		v.Errors["confirm"] = tr(v.L, "web.erase.mismatch")
		h.render(w, r, http.StatusUnprocessableEntity, "erase", v)
		return
	}
	if err := h.cfg.DataSubject.EraseCustomer(r.Context(), c.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/customers"), "customer_erased"))
}
