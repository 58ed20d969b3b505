// Package session resolves who is calling and in which workshop, for the
// REST API and the back office alike: the Ory session of a request (bearer
// token or cookie), the same-origin check that protects cookie-authenticated
// writes, and the scoping of a request to one workshop with the caller's role
// there. Each interface turns the answers into its own responses
// (problem+json or pages).
package session

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/workshop"
)

type sessionKey struct{}

// With returns ctx carrying the request's authenticated session.
func With(ctx context.Context, s identity.Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}

// From returns the authenticated session stored by With.
func From(ctx context.Context) (identity.Session, bool) {
	s, ok := ctx.Value(sessionKey{}).(identity.Session)
	return s, ok
}

// cookieNames are the cookies an Ory session travels in (self-hosted Kratos
// and Ory Network, whose name ends in the project slug).
var cookieNames = []string{"ory_kratos_session", "ory_session_"}

// BearerToken returns the token of an "Authorization: Bearer" header.
func BearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// HasCookie reports whether the request carries an Ory session cookie.
func HasCookie(r *http.Request) bool {
	for _, c := range r.Cookies() {
		for _, n := range cookieNames {
			if c.Name == n || strings.HasPrefix(c.Name, n) && strings.HasSuffix(n, "_") {
				return true
			}
		}
	}
	return false
}

// Resolve validates the request's Ory session (bearer token first, then
// cookie) and returns it; errs.ErrUnauthenticated when absent or invalid.
func Resolve(r *http.Request, authn identity.Authenticator) (identity.Session, error) {
	ctx := r.Context()
	if tok := BearerToken(r); tok != "" {
		return authn.SessionFromToken(ctx, tok)
	}
	if HasCookie(r) {
		return authn.SessionFromCookie(ctx, r.Header.Get("Cookie"))
	}
	return identity.Session{}, fmt.Errorf("no session: %w", errs.ErrUnauthenticated)
}

// SafeMethod reports whether m never changes state (no CSRF check needed).
func SafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// SameOrigin reports whether a browser request comes from allowedOrigin
// (scheme://host[:port]). Without Origin, Sec-Fetch-Site or Referer nothing
// proves it, and the request is refused.
func SameOrigin(r *http.Request, allowedOrigin string) bool {
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

// ClientIP is the client address for rate limits: the peer address, or with
// trustProxy the address one trusted proxy saw (ClientIPBehind with 1 hop).
func ClientIP(r *http.Request, trustProxy bool) string {
	hops := 0
	if trustProxy {
		hops = 1
	}
	return ClientIPBehind(r, hops)
}

// ClientIPBehind is the client address when Torque sits behind hops trusted
// proxies, each appending the address it received the request from to
// X-Forwarded-For: the hops-th entry from the right, the right-most one no
// trusted proxy wrote. The left-most entries are whatever the client sent and
// are never believed (a client could otherwise pick its own rate-limit key).
// With hops = 0 the peer address is used and the header ignored.
func ClientIPBehind(r *http.Request, hops int) string {
	if hops > 0 {
		var entries []string
		for _, v := range r.Header.Values("X-Forwarded-For") {
			for _, e := range strings.Split(v, ",") {
				if e = strings.TrimSpace(e); e != "" {
					entries = append(entries, e)
				}
			}
		}
		if len(entries) > 0 {
			i := len(entries) - hops
			if i < 0 {
				i = 0 // fewer entries than proxies: the first proxy's view
			}
			if ip := net.ParseIP(entries[i]); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// WorkshopScopes resolves a workshop and a person's role in it (the workshop
// directory read model).
type WorkshopScopes interface {
	// Scope returns the workshop of slug and the identity's role in it in one
	// read; errs.ErrNotFound when either does not exist.
	Scope(ctx context.Context, slug, identityID string) (workshops.WorkshopView, string, error)
}

// DefaultPrivilegedMaxAge is how recent an authentication privileged actions
// need when Policy says nothing: Kratos's own default for
// selfservice.flows.settings.privileged_session_max_age.
const DefaultPrivilegedMaxAge = 15 * time.Minute

// Policy is the authentication policy of workshop scoping (issue 10 item 4).
type Policy struct {
	// PrivilegedMaxAge: a session authenticated longer ago than this may not
	// run authz.Privileged actions (erase, export, role change, staff
	// removal) until a refresh login. 0 means DefaultPrivilegedMaxAge.
	PrivilegedMaxAge time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

func (p Policy) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p Policy) maxAge() time.Duration {
	if p.PrivilegedMaxAge > 0 {
		return p.PrivilegedMaxAge
	}
	return DefaultPrivilegedMaxAge
}

// ScopeToWorkshop is ScopeToWorkshopWith the default Policy.
func ScopeToWorkshop(ctx context.Context, scopes WorkshopScopes, slug string, s identity.Session) (context.Context, workshops.WorkshopView, error) {
	return ScopeToWorkshopWith(ctx, scopes, slug, s, Policy{})
}

// ScopeToWorkshopWith puts ctx in the workshop of slug with the session's
// role there (tenant and authz principal). A workshop the identity does not
// belong to is errs.ErrNotFound, exactly as if it did not exist. A workshop
// that requires a second factor refuses a session without one
// (errs.ErrMFARequired; the view is still returned, so a page can say
// whose policy it is). The principal carries the session's assurance level
// and whether its authentication is too old for privileged actions.
func ScopeToWorkshopWith(ctx context.Context, scopes WorkshopScopes, slug string, s identity.Session, pol Policy) (context.Context, workshops.WorkshopView, error) {
	ws, roleName, err := scopes.Scope(ctx, slug, s.Identity.ID)
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
	if ws.MFARequired && s.AAL != identity.AAL2 {
		return ctx, ws, fmt.Errorf("workshop %s requires a second factor: %w", ws.Slug, errs.ErrMFARequired)
	}
	now := pol.now()
	st, _ := workshop.ParseStatus(ws.Status)
	// A trial ends on the server's clock, not when the billing provider
	// speaks: past it, a workshop billing never called active is read-only.
	readOnly := !st.Writable() || workshop.TrialOver(st, ws.CreatedAt, now)
	stale := s.AuthenticatedAt.IsZero() || now.Sub(s.AuthenticatedAt) > pol.maxAge()
	ctx = tenant.WithTenant(ctx, tid)
	ctx = authz.WithPrincipal(ctx, authz.Principal{IdentityID: s.Identity.ID, Email: s.Identity.Email,
		Name: s.Identity.Name, Tenant: tid, Role: role, ReadOnly: readOnly,
		AAL: s.AAL, AuthenticatedAt: s.AuthenticatedAt, StaleAuthentication: stale})
	return ctx, ws, nil
}

// ScopeToWorkshopChecked is ScopeToWorkshopWith for a request whose
// authentication middleware set WithRecheck and WithForget: before refusing a
// session for a missing second factor it asks the provider once more (the
// cached session may predate a factor just enrolled or shown), and when it
// still refuses it drops the cached session (the person fixes it at the
// provider). It returns the session it scoped with. The REST API and the back
// office scope workshop requests through it, so both apply one rule.
func ScopeToWorkshopChecked(ctx context.Context, scopes WorkshopScopes, slug string, s identity.Session, pol Policy) (context.Context, workshops.WorkshopView, identity.Session, error) {
	scoped, ws, err := ScopeToWorkshopWith(ctx, scopes, slug, s, pol)
	if errors.Is(err, errs.ErrMFARequired) {
		if fresh, ok := Recheck(ctx); ok {
			s = fresh
			scoped, ws, err = ScopeToWorkshopWith(With(ctx, s), scopes, slug, s, pol)
		}
	}
	if errors.Is(err, errs.ErrMFARequired) {
		ForgetCached(ctx)
	}
	return scoped, ws, s, err
}

// RetryWithFreshFactor runs do in ctx and, when it is refused for a missing
// second factor while Kratos now reports the session at aal2 (a factor
// enrolled or used after the session was cached), runs it once more in the
// freshly scoped workshop context. The owner's switch "require a second
// factor of everyone" needs it: the owner has just enrolled theirs.
func RetryWithFreshFactor(ctx context.Context, scopes WorkshopScopes, slug string, pol Policy, do func(context.Context) error) error {
	err := do(ctx)
	if !errors.Is(err, errs.ErrMFARequired) {
		return err
	}
	fresh, ok := Recheck(ctx)
	if !ok || fresh.AAL != identity.AAL2 {
		return err
	}
	scoped, _, _, serr := ScopeToWorkshopChecked(With(ctx, fresh), scopes, slug, fresh, pol)
	if serr != nil {
		return err
	}
	return do(scoped)
}

type forgetKey struct{}

// WithForget returns ctx carrying forget, which drops the cached validation
// of the request's session (identity.Authenticator.Forget with its
// credentials). The authentication middlewares set it.
func WithForget(ctx context.Context, forget func()) context.Context {
	return context.WithValue(ctx, forgetKey{}, forget)
}

// ForgetCached drops the cached validation of the request's session, if the
// middleware said how: called when a request is refused for a missing second
// factor or a stale authentication, so that the session the person upgrades
// or refreshes at the provider is read afresh on their next request.
func ForgetCached(ctx context.Context) {
	if f, ok := ctx.Value(forgetKey{}).(func()); ok && f != nil {
		f()
	}
}

// Forgetter returns the forget function of r's credentials for WithForget.
func Forgetter(r *http.Request, authn identity.Authenticator) func() {
	token, cookie := BearerToken(r), ""
	if token == "" {
		cookie = r.Header.Get("Cookie")
	}
	return func() { authn.Forget(token, cookie) }
}

type recheckKey struct{}

// WithRecheck returns ctx carrying recheck, which drops the cached validation
// of the request's session and asks the provider again (the refreshed result
// is cached). The authentication middlewares set it.
func WithRecheck(ctx context.Context, recheck func() (identity.Session, error)) context.Context {
	return context.WithValue(ctx, recheckKey{}, recheck)
}

// Recheck re-reads the request's session from the provider, bypassing the
// cache: used once before refusing a request for a missing second factor or
// a stale authentication, since the person may have just enrolled a factor or
// signed in again and the cached session is older than that. ok is false when
// the middleware did not say how or the provider failed.
func Recheck(ctx context.Context) (identity.Session, bool) {
	f, ok := ctx.Value(recheckKey{}).(func() (identity.Session, error))
	if !ok || f == nil {
		return identity.Session{}, false
	}
	s, err := f()
	return s, err == nil
}

// Rechecker returns the recheck function of r's credentials for WithRecheck.
func Rechecker(r *http.Request, authn identity.Authenticator) func() (identity.Session, error) {
	forget := Forgetter(r, authn)
	return func() (identity.Session, error) {
		forget()
		return Resolve(r, authn)
	}
}
