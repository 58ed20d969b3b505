package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/interfaces/httperr"
	"github.com/torquehq/torque/interfaces/session"
)

type workshopKey struct{}

func sessionOf(ctx context.Context) (identity.Session, bool) { return session.From(ctx) }

func workshopOf(ctx context.Context) workshops.WorkshopView {
	w, _ := ctx.Value(workshopKey{}).(workshops.WorkshopView)
	return w
}

// requireSession sends a visitor without a valid staff session to the login
// page, and refuses cross-site form posts (CSRF).
func (h *Handler) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !h.sameOrigin(r) {
			h.errorPage(w, r, http.StatusForbidden, "web.error.csrf")
			return
		}
		s, err := session.Resolve(r, h.cfg.Authn)
		if err != nil {
			if c, _ := httperr.Classify(err); c.Status == http.StatusServiceUnavailable {
				h.cfg.Log.WarnContext(r.Context(), "web: session check unavailable", "err", err)
				h.errorPage(w, r, c.Status, c.MessageKey)
				return
			}
			if r.Header.Get("HX-Request") != "" {
				w.Header().Set("HX-Redirect", "/login")
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if s.Identity.Schema != "" && s.Identity.Schema != identity.SchemaStaff {
			h.errorPage(w, r, http.StatusForbidden, "web.error.staff_only")
			return
		}
		ctx := session.With(r.Context(), s)
		ctx = session.WithForget(ctx, session.Forgetter(r, h.cfg.Authn))
		ctx = session.WithRecheck(ctx, session.Rechecker(r, h.cfg.Authn))
		m := requestmeta.From(ctx)
		m.Actor = "staff:" + s.Identity.ID
		ctx = requestmeta.With(ctx, m)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// workshopScoped is the API's WorkshopScoped for pages: {slug} and the
// caller's membership put the request in that tenant with that role; a
// workshop the caller does not belong to is a 404 page.
func (h *Handler) workshopScoped(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		notFound := func() { h.errorPage(w, r, http.StatusNotFound, "web.error.not_found") }
		s, ok := sessionOf(r.Context())
		if !ok {
			notFound()
			return
		}
		// The API's rule (session.ScopeToWorkshopChecked, same policy): a
		// workshop that requires a second factor sends a session without
		// one to Kratos's second-factor step, or to enrol a factor.
		ctx, ws, _, err := session.ScopeToWorkshopChecked(r.Context(), h.cfg.Scopes, chi.URLParam(r, "slug"), s, h.cfg.AuthPolicy)
		if errors.Is(err, errs.ErrMFARequired) {
			h.secondFactor(w, r)
			return
		}
		if err != nil {
			if c, _ := httperr.Classify(err); c.Status == http.StatusServiceUnavailable {
				h.errorPage(w, r, c.Status, c.MessageKey)
				return
			}
			notFound()
			return
		}
		ctx = context.WithValue(ctx, workshopKey{}, ws)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
