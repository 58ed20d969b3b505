package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/portal"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/interfaces/session"
)

// PortalHandlers serve a workshop's customer portal API under
// /api/v1/portal/{slug}: the car owner's code login (public), and behind
// PortalAuthenticated the owner's profile, orders, export and erasure
// request. Other features mount their portal routes through PortalRoutes
// (MountPortal methods) and PublicRoutes.
type PortalHandlers struct {
	Portal *portal.UseCases
	// Scopes resolves {slug} and the car owner's records there.
	Scopes     session.PortalScopes
	Authn      identity.Authenticator
	Limits     RateLimits
	TrustProxy bool
	Log        *slog.Logger
	// PortalRoutes mount more features under /portal/{slug}, relative to it,
	// behind PortalAuthenticated: the request's context carries the tenant
	// and authz.Principal{Role: authz.RoleCustomer, CustomerIDs: ...}.
	PortalRoutes []func(chi.Router)
	// PublicRoutes mount features under /portal/{slug} that need no login
	// (e.g. published articles): the context carries the tenant only.
	PublicRoutes []func(chi.Router)
}

// Mount registers the routes on the /api/v1 router.
func (h *PortalHandlers) Mount(r chi.Router) {
	r.Route("/portal/{slug}", func(r chi.Router) {
		r.Use(auditEndpoint)
		r.Group(func(r chi.Router) {
			r.Use(PortalWorkshop(h.Scopes))
			r.Post("/auth/code", h.requestCode)
			r.Post("/auth/login", h.login)
			for _, mount := range h.PublicRoutes {
				r.Group(mount)
			}
		})
		r.Group(func(r chi.Router) {
			r.Use(PortalAuthenticated(h.Authn, h.Scopes, h.Log))
			r.Get("/me", h.me)
			r.Patch("/me", h.patchMe)
			r.Get("/me/export", h.export)
			r.Post("/me/erasure-request", h.requestErasure)
			r.Get("/orders", h.orders)
			r.Get("/orders/{id}", h.order)
			for _, mount := range h.PortalRoutes {
				r.Group(mount)
			}
		})
	})
}

type portalWorkshopKey struct{}

// portalWorkshopOf is the workshop PortalWorkshop resolved.
func portalWorkshopOf(ctx context.Context) workshops.WorkshopView {
	ws, _ := ctx.Value(portalWorkshopKey{}).(workshops.WorkshopView)
	return ws
}

func portalNotFound(w http.ResponseWriter) {
	WriteProblem(w, Problem{Type: "/problems/not-found", Status: http.StatusNotFound, Detail: "No such portal."})
}

// PortalWorkshop resolves {slug} to its workshop for the public portal
// routes: the request runs in that tenant, without a principal. An unknown
// slug is 404.
func PortalWorkshop(scopes session.PortalScopes) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, ws, err := session.InPortalWorkshop(r.Context(), scopes, chi.URLParam(r, "slug"))
			if err != nil {
				portalNotFound(w)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, portalWorkshopKey{}, ws)))
		})
	}
}

// PortalAuthenticated is the portal's session middleware: it resolves the
// bearer token (the portal API takes no cookies, so it needs no CSRF rule)
// to an Ory session of a customer identity and scopes the request to the
// workshop of {slug} as that car owner (session.ScopeToPortal): tenant and
// authz.Principal{Role: RoleCustomer, CustomerIDs}. No token or an invalid
// one is 401; a staff session, or a person without a record in this
// workshop, is 404, as if the portal did not exist.
func PortalAuthenticated(authn identity.Authenticator, scopes session.PortalScopes, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tok := session.BearerToken(r)
			if tok == "" {
				WriteProblem(w, Problem{Type: "/problems/unauthenticated", Status: http.StatusUnauthorized,
					Detail: "Sign in with the code e-mailed to you: send the session token as Authorization: Bearer."})
				return
			}
			s, err := authn.SessionFromToken(r.Context(), tok)
			if err != nil {
				if !errors.Is(err, errs.ErrUnauthenticated) {
					log.WarnContext(r.Context(), "portal session check failed", "err", err)
				}
				WriteProblem(w, Problem{Type: "/problems/unauthenticated", Status: http.StatusUnauthorized,
					Detail: "Sign in with the code e-mailed to you: send the session token as Authorization: Bearer."})
				return
			}
			ctx, _, err := session.ScopeToPortal(r.Context(), scopes, chi.URLParam(r, "slug"), s)
			if err != nil {
				if !errors.Is(err, errs.ErrNotFound) {
					Fail(w, r, log, err)
					return
				}
				portalNotFound(w)
				return
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

func (h *PortalHandlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	Fail(w, r, h.Log, err)
}

func (h *PortalHandlers) tooMany(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "60")
	WriteProblem(w, Problem{Type: "/problems/rate-limited", Status: http.StatusTooManyRequests,
		Title: "Too many attempts", Detail: "Wait a minute before trying again."})
}

// limited applies the login rate limits per client and per address.
func (h *PortalHandlers) limited(w http.ResponseWriter, r *http.Request, email string) bool {
	if h.Limits.LoginPerIP != nil && !h.Limits.LoginPerIP.Allow("portal:"+session.ClientIP(r, h.TrustProxy)) {
		h.tooMany(w)
		return true
	}
	if h.Limits.LoginPerIdentifier != nil && !h.Limits.LoginPerIdentifier.Allow("portal:"+chi.URLParam(r, "slug")+":"+strings.ToLower(strings.TrimSpace(email))) {
		h.tooMany(w)
		return true
	}
	return false
}

func (h *PortalHandlers) requestCode(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Email string `json:"email"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if h.limited(w, r, req.Email) {
		return
	}
	if err := h.Portal.RequestLoginCode(r.Context(), req.Email, portalWorkshopOf(r.Context()).Name); err != nil {
		var ve *errs.ValidationError
		if errors.As(err, &ve) {
			h.fail(w, r, err)
			return
		}
		// The answer never tells whether the address is known: log and
		// answer as for any other address.
		h.Log.ErrorContext(r.Context(), "portal: request login code", "err", err)
	}
	w.WriteHeader(http.StatusAccepted)
}

func (h *PortalHandlers) login(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Email string `json:"email"`
		Code  string `json:"code"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if h.limited(w, r, req.Email) {
		return
	}
	res, err := h.Portal.LoginWithCode(r.Context(), req.Email, strings.TrimSpace(req.Code))
	if err != nil {
		if errors.Is(err, errs.ErrUnauthenticated) {
			h.Log.InfoContext(r.Context(), "portal: login refused", "err", err)
			WriteProblem(w, Problem{Type: "/problems/login-failed", Status: http.StatusUnauthorized,
				Title: "Login failed", Detail: "Wrong or expired code: ask for a new one."})
			return
		}
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"session_token": res.Token, "expires_at": res.ExpiresAt.UTC().Format(time.RFC3339)})
}

func (h *PortalHandlers) me(w http.ResponseWriter, r *http.Request) {
	c, err := h.Portal.Me(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, c.Version, toCustomerJSON(c, true))
}

// mePatchRequest is the part of a customer the car owner may patch.
type mePatchRequest struct {
	Phones Optional[struct {
		Mobile   Optional[string] `json:"mobile"`
		Landline Optional[string] `json:"landline"`
	}] `json:"phones"`
	Address Optional[addressPatch] `json:"address"`
}

func (h *PortalHandlers) patchMe(w http.ResponseWriter, r *http.Request) {
	in, err := decodeMePatch(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.Portal.UpdateMe(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, c.Version, toCustomerJSON(c, true))
}

// decodeMePatch reads PATCH .../me: the merge patch (strictly: any other
// field is 400) and the If-Match version.
func decodeMePatch(r *http.Request) (portal.MePatch, error) {
	var req mePatchRequest
	exp, err := decodeUpdate(r, &req)
	if err != nil {
		return portal.MePatch{}, err
	}
	in := portal.MePatch{ExpectedVersion: exp}
	if req.Phones.Set {
		p := req.Phones.Value
		in.Phones = customer.Optional[customer.PhonesPatch]{Set: true, Null: req.Phones.Null,
			Value: customer.PhonesPatch{Mobile: dom(p.Mobile), Landline: dom(p.Landline)}}
	}
	if req.Address.Set {
		a := req.Address.Value
		in.Address = customer.Optional[customer.AddressPatch]{Set: true, Null: req.Address.Null,
			Value: customer.AddressPatch{Street: dom(a.Street), Number: dom(a.Number), Complement: dom(a.Complement),
				District: dom(a.District), City: dom(a.City), State: dom(a.State), PostalCode: dom(a.PostalCode)}}
	}
	return in, nil
}

func (h *PortalHandlers) export(w http.ResponseWriter, r *http.Request) {
	ex, err := h.Portal.ExportMe(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="meus-dados.json"`)
	WriteJSON(w, http.StatusOK, toExportJSON(ex))
}

func (h *PortalHandlers) requestErasure(w http.ResponseWriter, r *http.Request) {
	if err := h.Portal.RequestErasure(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (h *PortalHandlers) orders(w http.ResponseWriter, r *http.Request) {
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := portal.ListOrdersInput{Page: page}
	if v := r.URL.Query().Get("vehicle_id"); v != "" {
		if in.VehicleID, err = uuid.Parse(v); err != nil {
			h.fail(w, r, errs.Invalid("vehicle_id", "invalid_format", "vehicle_id must be a UUID"))
			return
		}
	}
	res, err := h.Portal.ListOrders(r.Context(), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePage(w, res, toOrderJSON)
}

func (h *PortalHandlers) order(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	o, err := h.Portal.GetOrder(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, o.Version, toOrderJSON(o))
}
