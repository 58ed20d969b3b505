package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/billing"
	"github.com/torquehq/torque/application/franchises"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/application/signup"
	"github.com/torquehq/torque/application/staff"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/interfaces/session"
)

// AccountHandlers serve Torque's account side: signup, sessions (login,
// logout, /me), a workshop's profile, logo, services, staff and subscription,
// the billing provider's webhook and franchises. Mount also puts the other
// features (WorkshopRoutes) under /workshops/{slug}.
type AccountHandlers struct {
	Signup      *signup.UseCases
	Workshops   *workshops.UseCases
	Staff       *staff.UseCases
	Billing     *billing.UseCases
	Franchises  *franchises.UseCases
	Memberships *memberships.UseCases
	// Scopes resolves /workshops/{slug} and the caller's role there.
	Scopes     session.WorkshopScopes
	Authn      identity.Authenticator
	Webhooks   billing.WebhookVerifier
	Limits     RateLimits
	TrustProxy bool
	// TrustedProxies is how many proxies in front of Torque append to
	// X-Forwarded-For (0: TrustProxy decides, meaning 1 or none).
	TrustedProxies int
	// PublicURL is Torque's own origin: cookie-authenticated writes must come from it.
	PublicURL string
	// PrivilegedMaxAge is how recent a sign-in erasure, export, role changes
	// and staff removal need (0: session.DefaultPrivilegedMaxAge).
	PrivilegedMaxAge time.Duration
	Log              *slog.Logger
	// WorkshopRoutes mount more features under /workshops/{slug}, behind the
	// same authentication and workshop scoping.
	WorkshopRoutes []func(chi.Router)
	// AuthenticatedRoutes mount more features at the API root behind the
	// same authentication (e.g. /franchises/{id}/comparison).
	AuthenticatedRoutes []func(chi.Router)
}

// Mount registers the routes on the /api/v1 router.
func (h *AccountHandlers) Mount(r chi.Router) {
	r.Post("/signup", h.signup)
	r.Post("/auth/login", h.login)
	r.Post("/billing/stripe/webhook", h.stripeWebhook)
	r.Get("/workshops/{slug}/privacy-policy", h.privacyPolicy)
	r.Group(func(r chi.Router) {
		r.Use(Authenticated(h.Authn, h.PublicURL, h.Log))
		r.Post("/auth/logout", h.logout)
		r.Get("/me", h.me)
		r.Post("/franchises", h.createFranchise)
		r.Get("/franchises/{id}", h.getFranchise)
		r.Post("/franchises/{id}/workshops", h.inviteWorkshop)
		r.Delete("/franchises/{id}/workshops/{workshop_id}", h.removeWorkshop)
		r.With(h.inviteLimits()).Post("/franchises/{id}/managers", h.addManager)
		r.Get("/franchises/{id}/settings", h.getFranchiseSettings)
		r.Put("/franchises/{id}/settings", h.putFranchiseSettings)
		for _, mount := range h.AuthenticatedRoutes {
			r.Group(mount)
		}
		r.Route("/workshops/{slug}", func(r chi.Router) {
			r.Use(WorkshopScopedWith(h.Scopes, session.Policy{PrivilegedMaxAge: h.PrivilegedMaxAge}))
			r.Get("/", h.getWorkshop)
			r.Patch("/", h.patchWorkshop)
			r.Get("/staff", h.listStaff)
			r.With(h.inviteLimits()).Post("/staff", h.inviteStaff)
			r.Patch("/staff/{identity_id}", h.changeRole)
			r.Delete("/staff/{identity_id}", h.removeStaff)
			r.Post("/billing/portal", h.billingPortal)
			r.Post("/billing/checkout", h.checkout)
			r.Post("/franchise/accept", h.acceptFranchise)
			r.Put("/logo", h.uploadLogo)
			r.Get("/services", h.listServices)
			r.Post("/services", h.defineService)
			r.Delete("/services/{code}", h.removeService)
			for _, mount := range h.WorkshopRoutes {
				r.Group(mount)
			}
		})
	})
}

func (h *AccountHandlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	Fail(w, r, h.Log, err)
}

func (h *AccountHandlers) tooMany(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "60")
	WriteProblem(w, Problem{Type: "/problems/rate-limited", Status: http.StatusTooManyRequests,
		Title: "Too many attempts", Detail: "Wait a minute before trying again."})
}

// clientIP is the rate-limit key of a request (session.ClientIPBehind).
func (h *AccountHandlers) clientIP(r *http.Request) string {
	hops := h.TrustedProxies
	if hops == 0 && h.TrustProxy {
		hops = 1
	}
	return session.ClientIPBehind(r, hops)
}
