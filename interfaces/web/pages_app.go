package web

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
)

// allowed shows the "no permission" page for a form the caller's role may
// not submit (the use case would refuse it anyway).
func (h *Handler) allowed(w http.ResponseWriter, r *http.Request, action authz.Action) bool {
	if _, err := authz.Require(r.Context(), action); err != nil {
		h.fail(w, r, err)
		return false
	}
	return true
}

func (h *Handler) appPath(r *http.Request, parts ...string) string {
	return "/app/" + chi.URLParam(r, "slug") + strings.Join(parts, "")
}

// boardStatuses are the columns of the status board, in life-cycle order.
var boardStatuses = []string{"open", "quoted", "approved", "in_progress", "completed", "delivered", "cancelled"}

// brandCSS is the workshop's colours as CSS custom properties (a style
// sheet, because the CSP forbids inline styles).
var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Torque's colours (app.css), used until a workshop picks its own.
const defaultPrimary, defaultSecondary = "#1f5fbf", "#f2a900"

// pathID parses the {id} of the path; one that is not a UUID is not found.
func (h *Handler) pathID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		h.fail(w, r, errs.ErrNotFound)
		return uuid.Nil, false
	}
	return id, true
}
