// Package web is Torque's back office for workshop staff: server-rendered
// pages (html/template) with htmx and a small script, all embedded. It calls
// the same use cases as the REST API (application/signup, workshops, staff,
// memberships, and the records modules customers, vehicles, serviceorders and
// datasubject), which enforce permissions themselves: a mechanic's customer
// views come back without personal data and the pages simply have nothing to
// show. Every text comes from application/i18n (pt-BR first).
package web

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/booking"
	"github.com/torquehq/torque/application/cep"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/franchises"
	"github.com/torquehq/torque/application/i18n"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/invoices"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/portal"
	"github.com/torquehq/torque/application/quotes"
	"github.com/torquehq/torque/application/reminders"
	"github.com/torquehq/torque/application/reports"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/signup"
	"github.com/torquehq/torque/application/staff"
	"github.com/torquehq/torque/application/support"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/interfaces/session"
)

//go:embed static templates
var assets embed.FS

// Config are the web app's dependencies.
type Config struct {
	Signup      *signup.UseCases
	Workshops   *workshops.UseCases
	Staff       *staff.UseCases
	Memberships *memberships.UseCases
	// Scopes resolves /app/{slug} and the person's role there.
	Scopes session.WorkshopScopes
	Authn  identity.Authenticator

	// Customers, Vehicles, ServiceOrders and DataSubject are the workshop's
	// records.
	Customers     *customers.UseCases
	Vehicles      *vehicles.UseCases
	ServiceOrders *serviceorders.UseCases
	DataSubject   *datasubject.UseCases
	// Messaging is optional: without it the messaging pages answer 404.
	Messaging *messaging.UseCases

	// Portal is the customer portal (/p/{slug}/) and PortalScopes resolves
	// its slug and the car owner's records; nil: no portal pages.
	Portal       *portal.UseCases
	PortalScopes session.PortalScopes
	// PortalLoginLimit throttles the portal's code requests and logins per
	// client address in this process (nil: none); Limits.PortalPer* are
	// shared by every process.
	PortalLoginLimit interface{ Allow(key string) bool }
	// Limits throttle signup, invitations, the portal's login and the
	// public feedback/unsubscribe links (see throttle.go); ProxyHops is how
	// many trusted proxies append to X-Forwarded-For (0: TrustProxy decides).
	Limits    Limits
	ProxyHops int
	// Quotes and Invoices serve the order page's quote builder and
	// invoice download (optional: without them the page has neither).
	Quotes   *quotes.UseCases
	Invoices *invoices.UseCases
	// Booking is the agenda (online booking); nil: no agenda pages.
	Booking *booking.UseCases
	// Reminders lists upcoming preventive maintenance (nil: no page).
	Reminders *reminders.UseCases
	// Reports are the analytics dashboards; nil when analytics is off.
	Reports *reports.UseCases
	// Franchises changes a franchise's settings from its dashboard (nil:
	// no settings form).
	Franchises *franchises.UseCases
	// Support runs the "Atendimento" pages (optional: no pages without it).
	Support *support.UseCases
	// PortalChat serves the car owner's live chat (the API's chat routes:
	// /chat WebSocket, /conversations…) under /p/{slug}/live behind the
	// portal's cookie session (optional: no chat page without it).
	PortalChat http.Handler
	// TrustProxy takes the client address of a quote decision's evidence
	// from X-Forwarded-For (session.ClientIP).
	TrustProxy bool

	// CEP fills addresses from postal codes; nil: manual entry only.
	CEP cep.Lookup
	// PublicURL is Torque's origin (CSRF check of form posts).
	PublicURL string
	// Flows reads the identity provider's self-service browser flows.
	Flows identity.BrowserFlows
	// AuthPolicy is the API's authentication policy of workshop requests
	// (privileged-session age; issue 10 item 4).
	AuthPolicy session.Policy
	Log        *slog.Logger
}

// Handler serves the back office.
type Handler struct {
	cfg    Config
	pages  *pages
	router chi.Router
}

// New builds the web handler.
func New(cfg Config) (*Handler, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	if cfg.Flows == nil {
		return nil, errors.New("web: Flows is required")
	}
	h := &Handler{cfg: cfg, pages: p}
	h.router = h.routes()
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.router.ServeHTTP(w, r) }

func (h *Handler) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(h.base)
	static, _ := fs.Sub(assets, "static")
	r.Handle("/static/*", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	r.Get("/", h.home)
	r.Get("/lang/{locale}", h.setLocale)
	r.Get("/login", h.login)
	r.Post("/logout", h.logout)
	r.Get("/recovery", h.recovery)
	r.Get("/settings/account", h.accountSettings)
	r.Get("/verification", h.verification)
	r.Get("/error", h.kratosError)
	r.Get("/assets/{slug}/logo", h.logo)
	r.Get("/assets/{slug}/{name}", h.articleImage)
	r.Get("/signup", h.signupForm)
	r.With(h.signupLimits()).Post("/signup", h.signup)
	r.Route("/p/{slug}", h.portalRoutes)
	r.Get("/f/{token}", h.feedbackForm)
	r.With(h.linkLimits()).Post("/f/{token}", h.feedbackSubmit)
	r.Get("/u/{token}", h.unsubscribeForm)
	r.With(h.linkLimits()).Post("/u/{token}", h.unsubscribeSubmit)
	r.Route("/app", func(r chi.Router) {
		r.Use(h.requireSession)
		r.Get("/", h.chooseWorkshop)
		r.Get("/franchises", h.franchisesPage)
		r.Get("/franchises/{id}", h.franchiseReport)
		r.Post("/franchises/{id}/settings", h.franchiseSettingsSave)
		r.Route("/{slug}", func(r chi.Router) {
			r.Use(h.workshopScoped)
			r.Get("/", h.dashboard)
			r.Get("/brand.css", h.brandCSS)
			r.Get("/cep/{cep}", h.cepLookup)
			r.Get("/customers", h.customers)
			r.Post("/customers/search", h.customersSearch)
			r.Get("/customers/new", h.customerNew)
			r.Post("/customers", h.customerCreate)
			r.Get("/customers/{id}", h.customer360)
			r.Get("/customers/{id}/edit", h.customerEdit)
			r.Post("/customers/{id}", h.customerUpdate)
			r.Post("/customers/{id}/notes", h.noteAdd)
			r.Post("/customers/{id}/vehicles", h.vehicleAdd)
			r.Get("/customers/{id}/export", h.customerExport)
			r.Get("/customers/{id}/erase", h.customerEraseConfirm)
			r.Post("/customers/{id}/erase", h.customerErase)
			r.Get("/vehicles/{id}", h.vehicleEdit)
			r.Post("/vehicles/{id}", h.vehicleUpdate)
			r.Post("/vehicles/{id}/transfer", h.vehicleTransfer)
			r.Get("/orders", h.orders)
			r.Get("/orders/new", h.orderNew)
			r.Post("/orders", h.orderCreate)
			r.Get("/orders/{id}", h.order)
			r.Get("/orders/{id}/print", h.orderPrint)
			r.Post("/orders/{id}/status", h.orderStatus)
			r.Get("/erasure-requests", h.erasureRequests)
			r.Post("/orders/{id}/quote", h.quoteSend)
			r.Get("/orders/{id}/invoice.pdf", h.invoicePDF)
			r.Get("/agenda", h.agenda)
			r.Post("/agenda/{id}/status", h.agendaStatus)
			r.Get("/agenda/settings", h.bookingSettings)
			r.Post("/agenda/settings", h.bookingSettingsSave)
			r.Post("/agenda/hours", h.bookingHoursSave)
			r.Get("/agenda/new", h.agendaNew)
			r.Post("/agenda/new", h.agendaBook)
			r.Get("/reminders", h.reminders)
			r.Post("/reminders/{vehicle}/{service}/dismiss", h.reminderDismiss)
			r.Get("/reports", h.reportsPage)
			r.Get("/staff", h.staff)
			r.With(h.inviteLimits()).Post("/staff", h.staffInvite)
			r.Post("/staff/{identity}/role", h.staffRole)
			r.Post("/staff/{identity}/remove", h.staffRemove)
			r.Get("/settings", h.settings)
			r.Post("/settings", h.settingsSave)
			r.Post("/settings/logo", h.logoUpload)
			r.Post("/settings/mfa", h.settingsMFASave)
			r.Get("/customers/{id}/messages", h.customerMessages)
			r.Post("/customers/{id}/preferences", h.customerPreferencesSave)
			r.Get("/message-templates", h.messageTemplates)
			r.Post("/message-templates", h.messageTemplateSave)
			r.Get("/campaigns", h.campaigns)
			r.Post("/campaigns", h.campaignCreate)
			h.supportRoutes(r)
		})
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		h.errorPage(w, r, http.StatusNotFound, "web.error.not_found")
	})
	return r
}

// base sets the security headers (those of the API, with the login form's
// target added to form-action), request metadata and the body limit.
func (h *Handler) base(next http.Handler) http.Handler {
	formAction := "'self'"
	if base := h.cfg.Flows.PublicURL(); base != "" {
		formAction += " " + base
	}
	csp := "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
		"form-action " + formAction + "; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			hd.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		reqID := uuid.Must(uuid.NewV7()).String()
		hd.Set("X-Request-Id", reqID)
		ctx := requestmeta.With(r.Context(), requestmeta.Meta{Actor: "anonymous", CorrelationID: uuid.Must(uuid.NewV7()), RequestID: reqID})
		ctx = context.WithValue(ctx, localeKey{}, negotiate(r))
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if formHasNUL(r) {
			// Postgres text and jsonb cannot hold U+0000: a 400 here, not a
			// 500 from the database (issue 10 item 17).
			h.errorPage(w, r.WithContext(ctx), http.StatusBadRequest, "web.error.generic")
			return
		}
		start := time.Now()
		next.ServeHTTP(w, r.WithContext(ctx))
		h.cfg.Log.DebugContext(ctx, "web request", "method", r.Method, "path", r.URL.Path, "duration", time.Since(start))
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		next.ServeHTTP(w, r)
	})
}

type localeKey struct{}

// localeCookie remembers the language a person picked.
const localeCookie = "torque_lang"

func negotiate(r *http.Request) i18n.Locale {
	if c, err := r.Cookie(localeCookie); err == nil {
		switch c.Value {
		case string(i18n.PtBR):
			return i18n.PtBR
		case string(i18n.En):
			return i18n.En
		}
	}
	return i18n.Negotiate(r.Header.Get("Accept-Language"))
}

func localeOf(ctx context.Context) i18n.Locale {
	if l, ok := ctx.Value(localeKey{}).(i18n.Locale); ok {
		return l
	}
	return i18n.Default
}

func (h *Handler) setLocale(w http.ResponseWriter, r *http.Request) {
	l := i18n.PtBR
	if chi.URLParam(r, "locale") == string(i18n.En) {
		l = i18n.En
	}
	//nolint:gosec // a language choice, not a credential: HttpOnly and SameSite, Secure behind TLS
	http.SetCookie(w, &http.Cookie{Name: localeCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(h.cfg.PublicURL, "https://")})
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther) //nolint:gosec // localPath keeps it on this site
}

// localPath returns next when it is a path on this site, else "/". Browsers
// read a backslash as a slash, so "/\evil.example" would leave the site.
//
// Browsers also drop tabs and line breaks from a URL ("/\t/evil.example" is
// "//evil.example"), so any control character is refused too.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsRune(next, '\\') ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return next
}

// sameOrigin is the API's CSRF rule for cookie-authenticated writes: the
// browser must say the request comes from Torque's own origin.
func (h *Handler) sameOrigin(r *http.Request) bool { return session.SameOrigin(r, h.cfg.PublicURL) }

// formHasNUL reports whether the query or a URL-encoded form body holds a NUL
// character (multipart bodies, the logo upload, are read by their handler).
func formHasNUL(r *http.Request) bool {
	if strings.Contains(r.URL.RawQuery, "%00") || strings.ContainsRune(r.URL.RawQuery, 0) {
		return true
	}
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return false
	}
	if err := r.ParseForm(); err != nil {
		return false // the handler reports the malformed form
	}
	for k, vs := range r.PostForm {
		if strings.ContainsRune(k, 0) {
			return true
		}
		for _, v := range vs {
			if strings.ContainsRune(v, 0) {
				return true
			}
		}
	}
	return false
}
