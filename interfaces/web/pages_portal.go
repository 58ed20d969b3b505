package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/portal"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/interfaces/httperr"
	"github.com/torquehq/torque/interfaces/session"
)

// The customer portal: /p/{slug}/, server-rendered, phone-first, in the
// workshop's brand. A car owner signs in with a code e-mailed by Ory
// (portal.RequestLoginCode / LoginWithCode); Torque then keeps the Ory
// session token in the session.PortalCookie cookie (HttpOnly, SameSite=Lax,
// Secure behind https, path /p/{slug}/), never in a page or a script. Pages
// behind portalSession run as the car owner (session.ScopeToPortal).

// portalLink is an entry of the portal's navigation: Path relative to
// /p/{slug}/, LabelKey its copy key, Key what view.Nav names when current.
type portalLink struct{ Key, Path, LabelKey string }

// portalFeature is a section another feature adds to the portal (quotes,
// invoices, appointments, tickets, help): its navigation link (none when
// Link.Path is "") and its pages, mounted under /p/{slug}/ behind the car
// owner's session (Public: without; the context then has the tenant and the
// workshop only). A page builds its view with h.portalView(r, titleKey, navKey)
// (brand, navigation, the owner's name), renders with h.renderPortal (the
// portal_layout template) and fails with h.portalFail; links to data
// collection carry {{template "privacy_note" $}}.
type portalFeature struct {
	Link   portalLink
	Public bool
	Mount  func(h *Handler, r chi.Router)
}

var portalFeatures []portalFeature

// registerPortalFeature adds a section to the portal. Call it from an init()
// in the feature's own file (pages_portal_<feature>.go), e.g.
//
//	func init() {
//		registerPortalFeature(portalFeature{
//			Link:  portalLink{Key: "quotes", Path: "quotes", LabelKey: "web.portal.nav.quotes"},
//			Mount: func(h *Handler, r chi.Router) { r.Get("/quotes", h.portalQuotes) },
//		})
//	}
//
//nolint:unused // the extension point of the quotes, invoices, booking and support pages
func registerPortalFeature(f portalFeature) { portalFeatures = append(portalFeatures, f) }

// portalNav is the navigation: home, services, the features', my details.
func portalNav() []portalLink {
	nav := []portalLink{{Key: "home", Path: "", LabelKey: "web.portal.nav.home"},
		{Key: "orders", Path: "orders", LabelKey: "web.portal.nav.orders"}}
	for _, f := range portalFeatures {
		if f.Link.Path != "" {
			nav = append(nav, f.Link)
		}
	}
	return append(nav, portalLink{Key: "profile", Path: "profile", LabelKey: "web.portal.nav.profile"})
}

func (h *Handler) portalRoutes(r chi.Router) {
	r.Use(h.portalWorkshop)
	r.Get("/brand.css", h.brandCSS)
	r.Get("/privacy", h.portalPrivacy)
	r.Get("/login", h.portalLoginForm)
	r.Post("/login", h.portalRequestCode)
	r.Post("/login/code", h.portalLoginCode)
	r.Post("/logout", h.portalLogout)
	for _, f := range portalFeatures {
		if f.Public {
			f.Mount(h, r)
		}
	}
	r.Group(func(r chi.Router) {
		r.Use(h.portalSession)
		r.Get("/", h.portalHome)
		r.Get("/orders", h.portalOrders)
		r.Get("/orders/{id}", h.portalOrder)
		r.Get("/profile", h.portalProfile)
		r.Post("/profile", h.portalProfileSave)
		r.Get("/cep/{cep}", h.cepLookup)
		r.Get("/export", h.portalExport)
		r.Get("/erasure", h.portalErasureForm)
		r.Post("/erasure", h.portalErasure)
		for _, f := range portalFeatures {
			if !f.Public {
				f.Mount(h, r)
			}
		}
	})
}

// portalWorkshop resolves {slug} (404 page when unknown), puts the request in
// its tenant with the workshop for branding, and refuses cross-site posts.
func (h *Handler) portalWorkshop(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.cfg.Portal == nil || h.cfg.PortalScopes == nil {
			h.errorPage(w, r, http.StatusNotFound, "web.portal.not_found")
			return
		}
		ctx, ws, err := session.InPortalWorkshop(r.Context(), h.cfg.PortalScopes, chi.URLParam(r, "slug"))
		if err != nil {
			h.errorPage(w, r, http.StatusNotFound, "web.portal.not_found")
			return
		}
		ctx = context.WithValue(ctx, workshopKey{}, ws)
		r = r.WithContext(ctx)
		if !session.SafeMethod(r.Method) && !h.sameOrigin(r) {
			h.portalError(w, r, http.StatusForbidden, "web.error.csrf")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// portalSession runs the request as the car owner of the portal cookie's
// session; without one (or with one that has no record in this workshop)
// the visitor goes to the login page.
func (h *Handler) portalSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slug := chi.URLParam(r, "slug")
		toLogin := func() { http.Redirect(w, r, "/p/"+slug+"/login", http.StatusSeeOther) }
		c, err := r.Cookie(session.PortalCookie)
		if err != nil || c.Value == "" {
			toLogin()
			return
		}
		s, err := h.cfg.Authn.SessionFromToken(r.Context(), c.Value)
		if err != nil {
			if !errors.Is(err, errs.ErrUnauthenticated) {
				h.portalFail(w, r, err)
				return
			}
			h.clearPortalCookie(w, slug)
			toLogin()
			return
		}
		ctx, _, err := session.ScopeToPortal(r.Context(), h.cfg.PortalScopes, slug, s)
		if errors.Is(err, errs.ErrNotFound) {
			h.clearPortalCookie(w, slug)
			toLogin()
			return
		}
		if err != nil {
			h.portalFail(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// portalCookie holds the car owner's session token: HttpOnly, SameSite=Lax,
// Secure whenever Torque is served over https (only local development is not).
func (h *Handler) portalCookie(slug, value string, maxAge int) *http.Cookie {
	//nolint:gosec // Secure follows PublicURL: https everywhere but local development
	return &http.Cookie{Name: session.PortalCookie, Value: value, Path: "/p/" + slug + "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(h.cfg.PublicURL, "https://")}
}

func (h *Handler) clearPortalCookie(w http.ResponseWriter, slug string) {
	http.SetCookie(w, h.portalCookie(slug, "", -1))
}

// portalView is newView for portal pages: the workshop's brand, the car
// owner's name and the portal's navigation (when signed in).
func (h *Handler) portalView(r *http.Request, titleKey, nav string, args ...any) view {
	v := h.newView(r, titleKey)
	if len(args) > 0 {
		v.Title = tr(v.L, titleKey, args...)
	}
	v.Role = ""
	v.Nav = nav
	if s, ok := sessionOf(r.Context()); ok {
		v.PortalNav = portalNav()
		v.User = s.Identity.Name
		if v.User == "" {
			v.User = s.Identity.Email
		}
	}
	return v
}

// renderPortal writes a portal page (a template file name) in the portal's layout.
func (h *Handler) renderPortal(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	h.renderBlock(w, r, status, page, "portal_layout", v)
}

func (h *Handler) portalError(w http.ResponseWriter, r *http.Request, status int, key string) {
	v := h.portalView(r, "web.error.title", "")
	v.Alert = tr(v.L, key)
	h.renderPortal(w, r, status, "error", v)
}

// portalFail is fail in the portal's layout.
func (h *Handler) portalFail(w http.ResponseWriter, r *http.Request, err error) {
	c, known := httperr.Classify(err)
	if !known {
		h.cfg.Log.ErrorContext(r.Context(), "web: portal request failed", "path", r.URL.Path, "err", err)
	}
	h.portalError(w, r, c.Status, c.MessageKey)
}

func (h *Handler) portalPrivacy(w http.ResponseWriter, r *http.Request) {
	ws := workshopOf(r.Context())
	text := ws.Profile.PrivacyPolicy
	if text == "" {
		text = workshops.DefaultPrivacyPolicy(ws)
	}
	v := h.portalView(r, "web.portal.privacy_title", "")
	var paras []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			paras = append(paras, p)
		}
	}
	v.Data = paras
	h.renderPortal(w, r, http.StatusOK, "portal_privacy", v)
}

// portalLoginPage is the login page's state: asking for the e-mail, or for
// the code once it was sent.
type portalLoginPage struct{ CodeSent bool }

func (h *Handler) portalLoginForm(w http.ResponseWriter, r *http.Request) {
	v := h.portalView(r, "web.portal.login.title", "")
	v.Data = portalLoginPage{}
	h.renderPortal(w, r, http.StatusOK, "portal_login", v)
}

// limited applies the login rate limit (per client address).
func (h *Handler) portalLimited(w http.ResponseWriter, r *http.Request, v view, sent bool) bool {
	retry := time.Minute
	switch {
	case h.portalLoginLimited(r):
		if l := h.cfg.Limits.PortalPerIP; l != nil {
			retry = l.Window()
		}
	case h.cfg.PortalLoginLimit != nil && !h.cfg.PortalLoginLimit.Allow("web-portal:"+h.clientIP(r)):
	default:
		return false
	}
	v.Alert = tr(v.L, "web.portal.login.too_many")
	v.Data = portalLoginPage{CodeSent: sent}
	w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(retry)))
	h.renderPortal(w, r, http.StatusTooManyRequests, "portal_login", v)
	return true
}

func (h *Handler) portalRequestCode(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.portalError(w, r, http.StatusBadRequest, "web.error.generic")
		return
	}
	v := h.portalView(r, "web.portal.login.title", "")
	v.Form = r.PostForm
	if h.portalLimited(w, r, v, false) {
		return
	}
	if err := h.cfg.Portal.RequestLoginCode(r.Context(), r.PostForm.Get("email"), workshopOf(r.Context()).Name); err != nil {
		if h.formErrors(r, &v, err) {
			v.Data = portalLoginPage{}
			h.renderPortal(w, r, http.StatusUnprocessableEntity, "portal_login", v)
			return
		}
		// Same page as for any address: the answer never tells who is a customer.
		h.cfg.Log.ErrorContext(r.Context(), "web: portal login code", "err", err)
	}
	v.Data = portalLoginPage{CodeSent: true}
	h.renderPortal(w, r, http.StatusOK, "portal_login", v)
}

func (h *Handler) portalLoginCode(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.portalError(w, r, http.StatusBadRequest, "web.error.generic")
		return
	}
	v := h.portalView(r, "web.portal.login.title", "")
	v.Form = r.PostForm
	if h.portalLimited(w, r, v, true) {
		return
	}
	res, err := h.cfg.Portal.LoginWithCode(r.Context(), r.PostForm.Get("email"), strings.TrimSpace(r.PostForm.Get("code")))
	if err != nil {
		v.Data = portalLoginPage{CodeSent: true}
		if errors.Is(err, errs.ErrUnauthenticated) {
			v.Errors["code"] = tr(v.L, "web.portal.login.failed")
			h.renderPortal(w, r, http.StatusUnauthorized, "portal_login", v)
			return
		}
		if h.formErrors(r, &v, err) {
			h.renderPortal(w, r, http.StatusUnprocessableEntity, "portal_login", v)
			return
		}
		h.portalFail(w, r, err)
		return
	}
	slug := chi.URLParam(r, "slug")
	maxAge := int(time.Until(res.ExpiresAt).Seconds())
	if maxAge < 1 {
		maxAge = 1
	}
	http.SetCookie(w, h.portalCookie(slug, res.Token, maxAge))
	http.Redirect(w, r, "/p/"+slug+"/", http.StatusSeeOther)
}

// portalLogout ends the Ory session and forgets the cookie.
func (h *Handler) portalLogout(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	if c, err := r.Cookie(session.PortalCookie); err == nil && c.Value != "" {
		if err := h.cfg.Authn.Logout(r.Context(), c.Value); err != nil && !errors.Is(err, errs.ErrUnauthenticated) {
			h.cfg.Log.WarnContext(r.Context(), "web: portal logout", "err", err)
		}
	}
	h.clearPortalCookie(w, slug)
	http.Redirect(w, r, "/p/"+slug+"/login", http.StatusSeeOther)
}

// portalVehicle is a vehicle with its history, newest first.
type portalVehicle struct {
	Vehicle vehicles.Vehicle
	Orders  []serviceorders.ServiceOrder
}

type portalHomePage struct {
	Me       customers.Customer
	Vehicles []portalVehicle
}

// portalOrderLimit bounds the history shown on the pages.
const portalOrderLimit = pagination.MaxLimit

func (h *Handler) portalHome(w http.ResponseWriter, r *http.Request) {
	me, err := h.cfg.Portal.Me(r.Context())
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	orders, err := h.cfg.Portal.ListOrders(r.Context(), portal.ListOrdersInput{Page: pagination.Request{Limit: portalOrderLimit}})
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	page := portalHomePage{Me: me}
	for _, veh := range me.Vehicles {
		pv := portalVehicle{Vehicle: veh}
		for _, o := range orders.Items {
			if o.VehicleID == veh.ID {
				pv.Orders = append(pv.Orders, o)
			}
		}
		page.Vehicles = append(page.Vehicles, pv)
	}
	v := h.portalView(r, "web.portal.title", "home")
	v.Data = page
	h.renderPortal(w, r, http.StatusOK, "portal_home", v)
}

type portalOrdersPage struct{ Orders []serviceorders.ServiceOrder }

func (h *Handler) portalOrders(w http.ResponseWriter, r *http.Request) {
	res, err := h.cfg.Portal.ListOrders(r.Context(), portal.ListOrdersInput{Page: pagination.Request{Limit: portalOrderLimit}})
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	v := h.portalView(r, "web.portal.orders.title", "orders")
	v.Data = portalOrdersPage{Orders: res.Items}
	h.renderPortal(w, r, http.StatusOK, "portal_orders", v)
}

type portalOrderPage struct {
	Order serviceorders.ServiceOrder
	Plate string
	// Extras are the quote and invoice links (pages_portal_quotes.go).
	Extras portalOrderExtras
}

func (h *Handler) portalOrder(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		h.portalFail(w, r, errs.ErrNotFound)
		return
	}
	o, err := h.cfg.Portal.GetOrder(r.Context(), id)
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	page := portalOrderPage{Order: o, Extras: h.portalOrderExtrasOf(r, o)}
	if me, err := h.cfg.Portal.Me(r.Context()); err == nil {
		for _, veh := range me.Vehicles {
			if veh.ID == o.VehicleID {
				page.Plate = veh.Plate
			}
		}
	}
	v := h.portalView(r, "web.portal.order.title", "orders", o.Number)
	v.Data = page
	h.renderPortal(w, r, http.StatusOK, "portal_order", v)
}

type portalProfilePage struct {
	Email string
	// Prefs is the message preferences section (pages_portal_preferences.go).
	Prefs *portalPrefs
}

func (h *Handler) portalProfile(w http.ResponseWriter, r *http.Request) {
	me, err := h.cfg.Portal.Me(r.Context())
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	v := h.portalView(r, "web.portal.profile.title", "profile")
	email := h.fillProfileForm(&v, me)
	v.Data = portalProfilePage{Email: email, Prefs: h.portalPrefsFor(r)}
	switch r.URL.Query().Get("ok") {
	case "saved":
		v.Flash = tr(v.L, "web.portal.profile.saved")
	case "prefs":
		v.Flash = tr(v.L, "web.portal.prefs.saved")
	}
	h.renderPortal(w, r, http.StatusOK, "portal_profile", v)
}

// fillProfileForm puts the car owner's contact into the profile form and
// returns their e-mail.
func (h *Handler) fillProfileForm(v *view, me customers.Customer) string {
	email := ""
	if c := me.Contact; c != nil {
		email = c.Email
		for k, val := range map[string]string{"phones.mobile": formatPhone(c.Phones.Mobile), "phones.landline": formatPhone(c.Phones.Landline),
			"address.street": c.Address.Street, "address.number": c.Address.Number, "address.complement": c.Address.Complement,
			"address.district": c.Address.District, "address.city": c.Address.City, "address.state": c.Address.State,
			"address.postal_code": formatCEP(c.Address.PostalCode)} {
			v.Form.Set(k, val)
		}
	}
	return email
}

func (h *Handler) portalProfileSave(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.portalError(w, r, http.StatusBadRequest, "web.error.generic")
		return
	}
	f := r.PostForm
	set := func(name string) customer.Optional[string] {
		return customer.Optional[string]{Set: true, Value: strings.TrimSpace(f.Get(name))}
	}
	in := portal.MePatch{
		Phones: customer.Optional[customer.PhonesPatch]{Set: true, Value: customer.PhonesPatch{
			Mobile: set("phones.mobile"), Landline: set("phones.landline")}},
		Address: customer.Optional[customer.AddressPatch]{Set: true, Value: customer.AddressPatch{
			Street: set("address.street"), Number: set("address.number"), Complement: set("address.complement"),
			District: set("address.district"), City: set("address.city"), State: set("address.state"),
			PostalCode: set("address.postal_code")}},
	}
	if _, err := h.cfg.Portal.UpdateMe(r.Context(), in); err != nil {
		v := h.portalView(r, "web.portal.profile.title", "profile")
		v.Form = f
		if h.formErrors(r, &v, err) {
			s, _ := sessionOf(r.Context())
			v.Data = portalProfilePage{Email: s.Identity.Email, Prefs: h.portalPrefsFor(r)}
			h.renderPortal(w, r, http.StatusUnprocessableEntity, "portal_profile", v)
			return
		}
		h.portalFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/p/"+chi.URLParam(r, "slug")+"/profile?ok=saved", http.StatusSeeOther)
}

func (h *Handler) portalExport(w http.ResponseWriter, r *http.Request) {
	ex, err := h.cfg.Portal.ExportMe(r.Context())
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="meus-dados.json"`)
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(ex)
}

func (h *Handler) portalErasureForm(w http.ResponseWriter, r *http.Request) {
	v := h.portalView(r, "web.portal.erasure.title", "profile")
	if r.URL.Query().Get("ok") == "sent" {
		v.Flash = tr(v.L, "web.portal.erasure.sent")
	}
	h.renderPortal(w, r, http.StatusOK, "portal_erasure", v)
}

func (h *Handler) portalErasure(w http.ResponseWriter, r *http.Request) {
	if err := h.cfg.Portal.RequestErasure(r.Context()); err != nil {
		h.portalFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/p/"+chi.URLParam(r, "slug")+"/erasure?ok=sent", http.StatusSeeOther)
}

// formatCEP shows a stored postal code masked ("01310-100").
func formatCEP(s string) string {
	if p, err := br.ParseCEP(s); err == nil {
		return p.Formatted()
	}
	return s
}

// erasureRequests lists the car owners' pending erasure requests (back
// office, /app/{slug}/erasure-requests); each links to the existing erase
// confirmation.
func (h *Handler) erasureRequests(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Portal == nil {
		h.errorPage(w, r, http.StatusNotFound, "web.error.not_found")
		return
	}
	rs, err := h.cfg.Portal.PendingErasures(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newView(r, "web.erasures.title")
	v.Nav = "erasures"
	v.Data = rs
	h.render(w, r, http.StatusOK, "erasure_requests", v)
}
