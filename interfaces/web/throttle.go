package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/interfaces/session"
)

// Limiter counts attempts per key (httpapi.RateLimiter: shared by every
// process through the database).
type Limiter interface {
	Allow(key string) bool
	Window() time.Duration
}

// Limits throttle the back office's public and abuse-prone forms. They are
// the API's limits (same names, same keys), so a client gains nothing by
// switching between the API and the pages. A nil limiter counts nothing.
type Limits struct {
	SignupPerIP, SignupPerIdentifier Limiter
	// PortalPerIP and PortalPerIdentifier count the portal's code requests
	// and code logins (the API's portal login limits).
	PortalPerIP, PortalPerIdentifier   Limiter
	InvitePerInviter, InvitePerAddress Limiter
	FeedbackPerIP, FeedbackPerToken    Limiter
}

// throttle is one limit of a form: key names what is counted ("" : nothing).
type throttle struct {
	limiter Limiter
	key     func(*http.Request) string
}

// throttled wraps a form's route with limits; over one, the page answers
// 429 with Retry-After and says so in the visitor's language.
func (h *Handler) throttled(limits ...throttle) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for _, t := range limits {
				if t.limiter == nil {
					continue
				}
				if key := t.key(r); key != "" && !t.limiter.Allow(key) {
					h.tooMany(w, r, t.limiter.Window())
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

func (h *Handler) tooMany(w http.ResponseWriter, r *http.Request, window time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(window)))
	h.errorPage(w, r, http.StatusTooManyRequests, "web.error.too_many")
}

func retryAfterSeconds(window time.Duration) int {
	s := int((window + time.Second - 1) / time.Second)
	if s < 60 {
		s = 60
	}
	return s
}

// clientIP is the visitor's address behind cfg.ProxyHops trusted proxies.
func (h *Handler) clientIP(r *http.Request) string {
	hops := h.cfg.ProxyHops
	if hops == 0 && h.cfg.TrustProxy {
		hops = 1
	}
	return session.ClientIPBehind(r, hops)
}

func (h *Handler) byIP(prefix string) func(*http.Request) string {
	return func(r *http.Request) string { return prefix + h.clientIP(r) }
}

// byFormField keys a limit by a form field (an e-mail: trimmed, lower case).
func byFormField(prefix, field string) func(*http.Request) string {
	return func(r *http.Request) string {
		if r.ParseForm() != nil {
			return ""
		}
		v := strings.ToLower(strings.TrimSpace(r.PostForm.Get(field)))
		if v == "" {
			return ""
		}
		return prefix + v
	}
}

func byToken(r *http.Request) string { return chi.URLParam(r, "token") }

func byCaller(r *http.Request) string {
	if s, ok := sessionOf(r.Context()); ok {
		return s.Identity.ID
	}
	return ""
}

// Route limits (keys as the API's, see httpapi: signup, inviteLimits,
// linkLimits and the portal's limited).
func (h *Handler) signupLimits() func(http.Handler) http.Handler {
	l := h.cfg.Limits
	limited := h.throttled(throttle{l.SignupPerIP, h.byIP("")}, throttle{l.SignupPerIdentifier, byFormField("", "owner.email")})
	return func(next http.Handler) http.Handler {
		counted := limited(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !h.sameOrigin(r) {
				// The handler refuses a cross-site post; another site must
				// not spend the visitor's attempts either.
				next.ServeHTTP(w, r)
				return
			}
			counted.ServeHTTP(w, r)
		})
	}
}

func (h *Handler) inviteLimits() func(http.Handler) http.Handler {
	l := h.cfg.Limits
	return h.throttled(throttle{l.InvitePerInviter, byCaller}, throttle{l.InvitePerAddress, byFormField("", "email")})
}

func (h *Handler) linkLimits() func(http.Handler) http.Handler {
	l := h.cfg.Limits
	return h.throttled(throttle{l.FeedbackPerIP, h.byIP("")}, throttle{l.FeedbackPerToken, byToken})
}

// portalLoginLimited applies the portal's shared login limits (per client,
// per workshop and address), as the API's portal login does.
func (h *Handler) portalLoginLimited(r *http.Request) bool {
	l := h.cfg.Limits
	if l.PortalPerIP != nil && !l.PortalPerIP.Allow("portal:"+h.clientIP(r)) {
		return true
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	if l.PortalPerIdentifier != nil && email != "" && !l.PortalPerIdentifier.Allow("portal:"+chi.URLParam(r, "slug")+":"+email) {
		return true
	}
	return false
}

var throttleCopyPtBR = map[string]string{
	"web.error.too_many": "Muitas tentativas em pouco tempo. Aguarde alguns minutos e tente de novo.",
}

var throttleCopyEn = map[string]string{
	"web.error.too_many": "Too many attempts in a short time. Wait a few minutes and try again.",
}

func init() {
	for k, v := range throttleCopyPtBR {
		pageCopyPtBR[k] = v
	}
	for k, v := range throttleCopyEn {
		pageCopyEn[k] = v
	}
}
