package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/workshop"
)

type sessionKey struct{}

// SessionFrom returns the authenticated session of the request.
func SessionFrom(ctx context.Context) (identity.Session, bool) {
	s, ok := ctx.Value(sessionKey{}).(identity.Session)
	return s, ok
}

// sessionCookieNames are the cookies an Ory session travels in (self-hosted
// Kratos and Ory Network).
var sessionCookieNames = []string{"ory_kratos_session", "ory_session_"}

// BearerToken returns the token of an "Authorization: Bearer" header.
func BearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func hasSessionCookie(r *http.Request) bool {
	for _, c := range r.Cookies() {
		for _, n := range sessionCookieNames {
			if c.Name == n || strings.HasPrefix(c.Name, n) && strings.HasSuffix(n, "_") {
				return true
			}
		}
	}
	return false
}

// ResolveSession validates the request's Ory session (bearer token or
// cookie) and returns it; errs.ErrUnauthenticated when absent or invalid.
func ResolveSession(r *http.Request, authn identity.Authenticator) (identity.Session, error) {
	ctx := r.Context()
	if tok := BearerToken(r); tok != "" {
		return authn.SessionFromToken(ctx, tok)
	}
	if hasSessionCookie(r) {
		return authn.SessionFromCookie(ctx, r.Header.Get("Cookie"))
	}
	return identity.Session{}, fmt.Errorf("no session: %w", errs.ErrUnauthenticated)
}

// Authenticated requires a valid staff session. A state-changing request
// authenticated by the session cookie must also come from Torque's own origin
// (CSRF protection): browsers send Origin (or Sec-Fetch-Site) on such requests,
// and a bearer token is never sent by a browser on its own.
func Authenticated(authn identity.Authenticator, allowedOrigin string, log interface {
	WarnContext(context.Context, string, ...any)
}) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if BearerToken(r) == "" && hasSessionCookie(r) && !safeMethod(r.Method) && !sameOrigin(r, allowedOrigin) {
				WriteProblem(w, Problem{Type: "/problems/csrf", Status: http.StatusForbidden,
					Detail: "Cross-site request refused: send it from Torque's own pages or with a bearer token."})
				return
			}
			s, err := ResolveSession(r, authn)
			if err != nil {
				if !errors.Is(err, errs.ErrUnauthenticated) {
					log.WarnContext(r.Context(), "session check failed", "err", err)
				}
				WriteProblem(w, Problem{Type: "/problems/unauthenticated", Status: http.StatusUnauthorized,
					Detail: "Sign in: send an Ory session token as Authorization: Bearer, or the session cookie."})
				return
			}
			if s.Identity.Schema != "" && s.Identity.Schema != identity.SchemaStaff {
				WriteProblem(w, Problem{Type: "/problems/forbidden", Status: http.StatusForbidden,
					Detail: "This API is for workshop staff."})
				return
			}
			ctx := context.WithValue(r.Context(), sessionKey{}, s)
			m := requestmeta.From(ctx)
			m.Actor = "staff:" + s.Identity.ID
			ctx = requestmeta.With(ctx, m)
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// WorkshopScopes resolves a workshop and a person's role in it (the workshop
// directory read model).
type WorkshopScopes interface {
	// Scope returns the workshop of slug and the identity's role in it in one
	// read; errs.ErrNotFound when either does not exist.
	Scope(ctx context.Context, slug, identityID string) (workshops.WorkshopView, string, error)
}

// WorkshopScoped resolves {slug} and the caller's membership in it: the
// request then runs in that tenant with that role. A workshop the caller does
// not belong to is 404, exactly as if it did not exist.
func WorkshopScoped(reg WorkshopScopes) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			notFound := func() {
				WriteProblem(w, Problem{Type: "/problems/not-found", Status: http.StatusNotFound, Detail: "No such workshop."})
			}
			s, ok := SessionFrom(r.Context())
			if !ok {
				notFound()
				return
			}
			ctx, _, err := ScopeToWorkshop(r.Context(), reg, chi.URLParam(r, "slug"), s)
			if err != nil {
				notFound()
				return
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// ClientIP is the peer address (the API is meant to sit behind a proxy that
// overwrites X-Forwarded-For only when TORQUE_TRUST_PROXY is set).
func ClientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			return strings.TrimSpace(strings.Split(xff, ",")[0])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameOrigin reports whether a browser request comes from allowedOrigin
// (scheme://host[:port]). Without Origin, Sec-Fetch-Site or Referer nothing
// proves it, and the request is refused.
func sameOrigin(r *http.Request, allowedOrigin string) bool {
	allowedOrigin = strings.TrimRight(allowedOrigin, "/")
	if o := r.Header.Get("Origin"); o != "" {
		return o == allowedOrigin
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin"
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		return ref == allowedOrigin || strings.HasPrefix(ref, allowedOrigin+"/")
	}
	return false
}

// ScopeToWorkshop puts ctx in the workshop of slug with the session's role
// there (tenant and authz principal). A workshop the identity does not belong
// to is errs.ErrNotFound, exactly as if it did not exist. The API and the web
// pages share it.
func ScopeToWorkshop(ctx context.Context, reg WorkshopScopes, slug string, s identity.Session) (context.Context, workshops.WorkshopView, error) {
	ws, roleName, err := reg.Scope(ctx, slug, s.Identity.ID)
	if err != nil {
		return ctx, ws, err
	}
	role, err := authz.ParseRole(roleName)
	if err != nil {
		return ctx, ws, fmt.Errorf("role %q: %w", roleName, errs.ErrNotFound)
	}
	tid, err := tenant.FromUUID(ws.ID)
	if err != nil {
		return ctx, ws, fmt.Errorf("workshop id: %w", errs.ErrNotFound)
	}
	st, _ := workshop.ParseStatus(ws.Status)
	ctx = tenant.WithTenant(ctx, tid)
	ctx = authz.WithPrincipal(ctx, authz.Principal{IdentityID: s.Identity.ID, Email: s.Identity.Email,
		Name: s.Identity.Name, Tenant: tid, Role: role, ReadOnly: !st.Writable()})
	return ctx, ws, nil
}
