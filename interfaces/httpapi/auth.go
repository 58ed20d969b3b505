package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/interfaces/httperr"
	"github.com/torquehq/torque/interfaces/session"
)

// SessionFrom returns the authenticated session of the request.
func SessionFrom(ctx context.Context) (identity.Session, bool) { return session.From(ctx) }

// Authenticated requires a valid staff session (a car owner's portal session is
// 404: staff endpoints do not exist for it). A state-changing request
// authenticated by the session cookie must also come from Torque's own origin
// (CSRF protection): browsers send Origin (or Sec-Fetch-Site) on such requests,
// and a bearer token is never sent by a browser on its own.
func Authenticated(authn identity.Authenticator, allowedOrigin string, log interface {
	WarnContext(context.Context, string, ...any)
}) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if session.BearerToken(r) == "" && session.HasCookie(r) && !session.SafeMethod(r.Method) && !session.SameOrigin(r, allowedOrigin) {
				WriteProblem(w, Problem{Type: "/problems/csrf", Status: http.StatusForbidden,
					Detail: "Cross-site request refused: send it from Torque's own pages or with a bearer token."})
				return
			}
			s, err := session.Resolve(r, authn)
			if err != nil {
				if c, _ := httperr.Classify(err); c.Status == http.StatusServiceUnavailable {
					// Kratos cannot be reached: the session may well be valid.
					log.WarnContext(r.Context(), "session check unavailable", "err", err)
					writeUnavailable(w)
					return
				}
				if !errors.Is(err, errs.ErrUnauthenticated) {
					log.WarnContext(r.Context(), "session check failed", "err", err)
				}
				WriteProblem(w, Problem{Type: "/problems/unauthenticated", Status: http.StatusUnauthorized,
					Detail: "Sign in: send an Ory session token as Authorization: Bearer, or the session cookie."})
				return
			}
			if s.Identity.Schema != "" && s.Identity.Schema != identity.SchemaStaff {
				// A car owner's (portal) session: staff endpoints do not exist
				// for it, exactly like another workshop's portal.
				WriteProblem(w, Problem{Type: "/problems/not-found", Status: http.StatusNotFound})
				return
			}
			ctx := session.With(r.Context(), s)
			ctx = session.WithForget(ctx, session.Forgetter(r, authn))
			ctx = session.WithRecheck(ctx, session.Rechecker(r, authn))
			m := requestmeta.From(ctx)
			m.Actor = "staff:" + s.Identity.ID
			ctx = requestmeta.With(ctx, m)
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// WorkshopScoped resolves {slug} and the caller's membership in it: the
// request then runs in that tenant with that role. A workshop the caller does
// not belong to is 404, exactly as if it did not exist.
func WorkshopScoped(scopes session.WorkshopScopes) func(http.Handler) http.Handler {
	return WorkshopScopedWith(scopes, session.Policy{})
}

// WorkshopScopedWith is WorkshopScoped with an authentication policy: a
// workshop that requires a second factor answers 403
// /problems/mfa-required to a session without one, and the principal knows
// whether the session is recent enough for privileged actions.
func WorkshopScopedWith(scopes session.WorkshopScopes, pol session.Policy) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			notFound := func() {
				WriteProblem(w, Problem{Type: "/problems/not-found", Status: http.StatusNotFound, Detail: "No such workshop."})
			}
			s, ok := session.From(r.Context())
			if !ok {
				notFound()
				return
			}
			// Asks Kratos once more before refusing a missing second factor
			// (the cached session may predate a factor just enrolled).
			ctx, _, _, err := session.ScopeToWorkshopChecked(r.Context(), scopes, chi.URLParam(r, "slug"), s, pol)
			if errors.Is(err, errs.ErrMFARequired) {
				WriteProblem(w, Problem{Type: "/problems/" + httperr.MFARequired.Type, Status: httperr.MFARequired.Status,
					Detail: problemDetails[httperr.MFARequired.Type]})
				return
			}
			if err != nil {
				if c, _ := httperr.Classify(err); c.Status == http.StatusServiceUnavailable {
					// The database cannot be reached: that says nothing about
					// whether the workshop exists (never a 404 here).
					writeUnavailable(w)
					return
				}
				notFound()
				return
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
