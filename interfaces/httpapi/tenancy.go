package httpapi

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/billing"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/tenancy"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// TenancyHandlers serve signup, login, /me, workshops, staff, billing and
// franchises.
type TenancyHandlers struct {
	Service    *tenancy.Service
	Registry   tenancy.Registry
	Authn      identity.Authenticator
	Webhooks   billing.WebhookVerifier
	Limits     RateLimits
	TrustProxy bool
	// PublicURL is Torque's own origin: cookie-authenticated writes must come from it.
	PublicURL string
	Log       *slog.Logger
	// WorkshopRoutes mount more features under /workshops/{slug}, behind the
	// same authentication and workshop scoping.
	WorkshopRoutes []func(chi.Router)
}

// Mount registers the routes on the /api/v1 router.
func (h *TenancyHandlers) Mount(r chi.Router) {
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
		r.Post("/franchises/{id}/managers", h.addManager)
		r.Route("/workshops/{slug}", func(r chi.Router) {
			r.Use(WorkshopScoped(h.Registry))
			r.Get("/", h.getWorkshop)
			r.Patch("/", h.patchWorkshop)
			r.Get("/staff", h.listStaff)
			r.Post("/staff", h.inviteStaff)
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

func (h *TenancyHandlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	Fail(w, r, h.Log, err)
}

func (h *TenancyHandlers) tooMany(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "60")
	WriteProblem(w, Problem{Type: "/problems/rate-limited", Status: http.StatusTooManyRequests,
		Title: "Too many attempts", Detail: "Wait a minute before trying again."})
}

type signupRequest struct {
	WorkshopName string `json:"workshop_name"`
	Slug         string `json:"slug"`
	Plan         string `json:"plan"`
	Owner        struct {
		Name     string `json:"name"`
		Email    string `json:"email"`
		Password string `json:"password"`
	} `json:"owner"`
}

type workshopSummary struct {
	ID     uuid.UUID `json:"id"`
	Slug   string    `json:"slug"`
	Name   string    `json:"name"`
	Status string    `json:"status"`
	Plan   string    `json:"plan"`
}

func (h *TenancyHandlers) signup(w http.ResponseWriter, r *http.Request) {
	if !h.Limits.SignupPerIP.Allow(ClientIP(r, h.TrustProxy)) {
		h.tooMany(w)
		return
	}
	var req signupRequest
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.Limits.SignupPerIdentifier.Allow(strings.ToLower(strings.TrimSpace(req.Owner.Email))) {
		h.tooMany(w)
		return
	}
	res, err := h.Service.Signup(r.Context(), tenancy.SignupInput{WorkshopName: req.WorkshopName, Slug: req.Slug,
		Plan: req.Plan, OwnerName: req.Owner.Name, OwnerEmail: req.Owner.Email, OwnerPass: req.Owner.Password})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ws := res.Workshop
	w.Header().Set("Location", "/api/v1/workshops/"+ws.Slug)
	WriteJSON(w, http.StatusCreated, map[string]any{
		"workshop":     workshopSummary{ID: ws.ID, Slug: ws.Slug, Name: ws.Name, Status: ws.Status, Plan: ws.Plan},
		"checkout_url": nullable(res.CheckoutURL),
	})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (h *TenancyHandlers) login(w http.ResponseWriter, r *http.Request) {
	if !h.Limits.LoginPerIP.Allow(ClientIP(r, h.TrustProxy)) {
		h.tooMany(w)
		return
	}
	var req struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	var c errs.Collector
	if strings.TrimSpace(req.Email) == "" {
		c.Add("email", "required", "e-mail is required")
	}
	if req.Password == "" {
		c.Add("password", "required", "password is required")
	}
	if err := c.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.Limits.LoginPerIdentifier.Allow(strings.ToLower(strings.TrimSpace(req.Email))) {
		h.tooMany(w)
		return
	}
	token, expires, err := h.Authn.LoginWithPassword(r.Context(), strings.TrimSpace(req.Email), req.Password)
	if err != nil {
		if errors.Is(err, errs.ErrUnauthenticated) {
			// The same answer whether or not the account exists.
			WriteProblem(w, Problem{Type: "/problems/login-failed", Status: http.StatusUnauthorized,
				Title: "Login failed", Detail: "Wrong e-mail or password."})
			return
		}
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"session_token": token, "expires_at": expires.UTC().Format(time.RFC3339)})
}

func (h *TenancyHandlers) logout(w http.ResponseWriter, r *http.Request) {
	if tok := BearerToken(r); tok != "" {
		if err := h.Authn.Logout(r.Context(), tok); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func caller(r *http.Request) tenancy.Caller {
	s, _ := SessionFrom(r.Context())
	return tenancy.Caller{IdentityID: s.Identity.ID, Email: s.Identity.Email, Name: s.Identity.Name}
}

func (h *TenancyHandlers) me(w http.ResponseWriter, r *http.Request) {
	c := caller(r)
	ms, fs, err := h.Service.Me(r.Context(), c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	type membership struct {
		Workshop     string    `json:"workshop"`
		WorkshopID   uuid.UUID `json:"workshop_id"`
		WorkshopName string    `json:"workshop_name"`
		Role         string    `json:"role"`
	}
	out := make([]membership, 0, len(ms))
	for _, m := range ms {
		out = append(out, membership{Workshop: m.WorkshopSlug, WorkshopID: m.WorkshopID, WorkshopName: m.WorkshopName, Role: m.Role})
	}
	if fs == nil {
		fs = []uuid.UUID{}
	}
	WriteJSON(w, http.StatusOK, map[string]any{"identity_id": c.IdentityID, "email": c.Email, "name": c.Name,
		"memberships": out, "franchises": fs})
}

// workshopJSON is the workshop resource.
type workshopJSON struct {
	ID             uuid.UUID           `json:"id"`
	Slug           string              `json:"slug"`
	Name           string              `json:"name"`
	Plan           string              `json:"plan"`
	Status         string              `json:"status"`
	LegalName      string              `json:"legal_name"`
	CNPJ           string              `json:"cnpj"`
	Email          string              `json:"email"`
	Phone          string              `json:"phone"`
	WhatsApp       string              `json:"whatsapp"`
	Address        addressJSON         `json:"address"`
	TimeZone       string              `json:"time_zone"`
	BusinessHours  []businessHoursJSON `json:"business_hours"`
	LogoURL        string              `json:"logo_url"`
	PrimaryColor   string              `json:"primary_color"`
	SecondaryColor string              `json:"secondary_color"`
	PrivacyPolicy  string              `json:"privacy_policy"`
	FranchiseID    *uuid.UUID          `json:"franchise_id"`
	CreatedAt      time.Time           `json:"created_at"`
	Version        int64               `json:"version"`
}

type addressJSON struct {
	Street     string `json:"street"`
	Number     string `json:"number"`
	Complement string `json:"complement"`
	District   string `json:"district"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
}

type businessHoursJSON struct {
	Weekday int    `json:"weekday"`
	Opens   string `json:"opens"`
	Closes  string `json:"closes"`
}

func toWorkshopJSON(v tenancy.WorkshopView) workshopJSON {
	p := v.Profile
	out := workshopJSON{ID: v.ID, Slug: v.Slug, Name: v.Name, Plan: v.Plan, Status: v.Status, LegalName: p.LegalName,
		CNPJ: p.CNPJ, Email: p.Email, Phone: p.Phone, WhatsApp: p.WhatsApp,
		Address: addressJSON{Street: p.Street, Number: p.Number, Complement: p.Complement, District: p.District,
			City: p.City, State: p.State, PostalCode: p.PostalCode},
		TimeZone: v.TimeZone, BusinessHours: []businessHoursJSON{}, LogoURL: p.LogoURL, PrimaryColor: p.PrimaryColor,
		SecondaryColor: p.SecondaryColor, PrivacyPolicy: p.PrivacyPolicy, CreatedAt: v.CreatedAt.UTC(), Version: v.Version}
	for _, b := range p.BusinessHours {
		out.BusinessHours = append(out.BusinessHours, businessHoursJSON(b))
	}
	if v.FranchiseID != uuid.Nil {
		id := v.FranchiseID
		out.FranchiseID = &id
	}
	return out
}

func (h *TenancyHandlers) writeWorkshop(w http.ResponseWriter, status int, v tenancy.WorkshopView) {
	w.Header().Set("ETag", ETag(v.Version))
	WriteJSON(w, status, toWorkshopJSON(v))
}

func (h *TenancyHandlers) getWorkshop(w http.ResponseWriter, r *http.Request) {
	v, err := h.Service.Workshop(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeWorkshop(w, http.StatusOK, v)
}

type workshopPatch struct {
	Name           Optional[string]              `json:"name"`
	LegalName      Optional[string]              `json:"legal_name"`
	CNPJ           Optional[string]              `json:"cnpj"`
	Email          Optional[string]              `json:"email"`
	Phone          Optional[string]              `json:"phone"`
	WhatsApp       Optional[string]              `json:"whatsapp"`
	Address        Optional[addressPatch]        `json:"address"`
	TimeZone       Optional[string]              `json:"time_zone"`
	BusinessHours  Optional[[]businessHoursJSON] `json:"business_hours"`
	LogoURL        Optional[string]              `json:"logo_url"`
	PrimaryColor   Optional[string]              `json:"primary_color"`
	SecondaryColor Optional[string]              `json:"secondary_color"`
	PrivacyPolicy  Optional[string]              `json:"privacy_policy"`
}

// str maps a merge-patch string: absent → nil (unchanged), null → "" (clear).
func str(o Optional[string]) *string {
	if !o.Set {
		return nil
	}
	v := o.Value
	if o.Null {
		v = ""
	}
	return &v
}

func (h *TenancyHandlers) patchWorkshop(w http.ResponseWriter, r *http.Request) {
	var p workshopPatch
	if err := DecodeJSON(r, &p); err != nil {
		h.fail(w, r, err)
		return
	}
	expected, has, err := IfMatch(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := workshop.ProfileInput{Name: str(p.Name), LegalName: str(p.LegalName), CNPJ: str(p.CNPJ), Email: str(p.Email),
		Phone: str(p.Phone), WhatsApp: str(p.WhatsApp), TimeZone: str(p.TimeZone), LogoURL: str(p.LogoURL),
		PrimaryColor: str(p.PrimaryColor), Secondary: str(p.SecondaryColor), PrivacyPolicy: str(p.PrivacyPolicy)}
	if p.Name.Set && p.Name.Null {
		h.fail(w, r, errs.Invalid("name", "required", "name cannot be removed"))
		return
	}
	if p.Address.Set {
		a := p.Address.Value
		if p.Address.Null {
			empty := ""
			in.Street, in.Number, in.Complement, in.District, in.City, in.State, in.PostalCode =
				&empty, &empty, &empty, &empty, &empty, &empty, &empty
		} else {
			in.Street, in.Number, in.Complement, in.District = str(a.Street), str(a.Number), str(a.Complement), str(a.District)
			in.City, in.State, in.PostalCode = str(a.City), str(a.State), str(a.PostalCode)
		}
	}
	if p.BusinessHours.Set {
		hours := []workshop.BusinessHours{}
		for _, b := range p.BusinessHours.Value {
			hours = append(hours, workshop.BusinessHours(b))
		}
		in.BusinessHours = &hours
	}
	var exp *int64
	if has {
		exp = &expected
	}
	v, err := h.Service.UpdateProfile(r.Context(), in, exp)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeWorkshop(w, http.StatusOK, v)
}

type staffJSON struct {
	IdentityID string    `json:"identity_id"`
	Email      string    `json:"email"`
	Name       string    `json:"name"`
	Role       string    `json:"role"`
	Invited    bool      `json:"invited"`
	JoinedAt   time.Time `json:"joined_at"`
}

func toStaffJSON(s tenancy.StaffView) staffJSON {
	return staffJSON{IdentityID: s.IdentityID, Email: s.Email, Name: s.Name, Role: s.Role, Invited: s.Invited, JoinedAt: s.JoinedAt.UTC()}
}

func (h *TenancyHandlers) listStaff(w http.ResponseWriter, r *http.Request) {
	staff, err := h.Service.ListStaff(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items := make([]staffJSON, 0, len(staff))
	for _, s := range staff {
		items = append(items, toStaffJSON(s))
	}
	WriteJSON(w, http.StatusOK, Page[staffJSON]{Items: items})
}

func (h *TenancyHandlers) inviteStaff(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name  string `json:"name"`
		Email string `json:"email"`
		Role  string `json:"role"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	s, err := h.Service.InviteStaff(r.Context(), tenancy.InviteStaffInput{Name: req.Name, Email: req.Email, Role: req.Role})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, toStaffJSON(s))
}

func (h *TenancyHandlers) changeRole(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Role string `json:"role"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	id := chi.URLParam(r, "identity_id")
	if err := h.Service.ChangeStaffRole(r.Context(), id, req.Role); err != nil {
		h.fail(w, r, err)
		return
	}
	staff, err := h.Service.ListStaff(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, s := range staff {
		if s.IdentityID == id {
			WriteJSON(w, http.StatusOK, toStaffJSON(s))
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *TenancyHandlers) removeStaff(w http.ResponseWriter, r *http.Request) {
	if err := h.Service.RemoveStaff(r.Context(), chi.URLParam(r, "identity_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *TenancyHandlers) billingPortal(w http.ResponseWriter, r *http.Request) {
	url, err := h.Service.BillingPortal(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]string{"url": url})
}

func (h *TenancyHandlers) checkout(w http.ResponseWriter, r *http.Request) {
	url, err := h.Service.Checkout(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]string{"checkout_url": url})
}

func (h *TenancyHandlers) stripeWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		WriteProblem(w, Problem{Type: "/problems/body-too-large", Status: http.StatusRequestEntityTooLarge})
		return
	}
	ev, err := h.Webhooks.Verify(body, r.Header.Get("Stripe-Signature"))
	if err != nil {
		status := http.StatusBadRequest
		WriteProblem(w, Problem{Type: "/problems/bad-webhook", Status: status, Detail: "The webhook signature or payload is invalid.",
			Errors: []FieldIssue{{Field: "Stripe-Signature", Code: "invalid_signature", Message: "signature verification failed"}}})
		return
	}
	applied, err := h.Service.HandleBillingEvent(r.Context(), ev)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"received": true, "applied": applied})
}

func (h *TenancyHandlers) privacyPolicy(w http.ResponseWriter, r *http.Request) {
	v, err := h.Service.PrivacyPolicy(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	text := v.Profile.PrivacyPolicy
	if text == "" {
		text = tenancy.DefaultPrivacyPolicy(v)
	}
	WriteJSON(w, http.StatusOK, map[string]any{"workshop": v.Slug, "name": v.Name, "text": text,
		"customized": v.Profile.PrivacyPolicy != ""})
}

type franchiseJSON struct {
	ID        uuid.UUID               `json:"id"`
	Name      string                  `json:"name"`
	Managers  []string                `json:"managers"`
	Workshops []franchiseWorkshopJSON `json:"workshops"`
}

type franchiseWorkshopJSON struct {
	WorkshopID uuid.UUID `json:"workshop_id"`
	Slug       string    `json:"slug"`
	Name       string    `json:"name"`
	State      string    `json:"state"`
}

func toFranchiseJSON(v tenancy.FranchiseView) franchiseJSON {
	out := franchiseJSON{ID: v.ID, Name: v.Name, Managers: v.Managers, Workshops: []franchiseWorkshopJSON{}}
	if out.Managers == nil {
		out.Managers = []string{}
	}
	for _, w := range v.Workshops {
		out.Workshops = append(out.Workshops, franchiseWorkshopJSON(w))
	}
	return out
}

func pathUUID(r *http.Request, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(chi.URLParam(r, name))
	if err != nil {
		return uuid.Nil, errs.ErrNotFound
	}
	return id, nil
}

func (h *TenancyHandlers) createFranchise(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string `json:"name"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Service.CreateFranchise(r.Context(), caller(r), req.Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, toFranchiseJSON(v))
}

func (h *TenancyHandlers) getFranchise(w http.ResponseWriter, r *http.Request) {
	id, err := pathUUID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Service.Franchise(r.Context(), caller(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toFranchiseJSON(v))
}

func (h *TenancyHandlers) inviteWorkshop(w http.ResponseWriter, r *http.Request) {
	id, err := pathUUID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req struct {
		WorkshopSlug string `json:"workshop_slug"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Service.InviteWorkshop(r.Context(), caller(r), id, req.WorkshopSlug)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, toFranchiseJSON(v))
}

func (h *TenancyHandlers) removeWorkshop(w http.ResponseWriter, r *http.Request) {
	id, err := pathUUID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	wid, err := pathUUID(r, "workshop_id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Service.RemoveWorkshop(r.Context(), caller(r), id, wid); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *TenancyHandlers) addManager(w http.ResponseWriter, r *http.Request) {
	id, err := pathUUID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Service.AddFranchiseManager(r.Context(), caller(r), id, req.Email, req.Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, toFranchiseJSON(v))
}

func (h *TenancyHandlers) acceptFranchise(w http.ResponseWriter, r *http.Request) {
	var req struct {
		FranchiseID uuid.UUID `json:"franchise_id"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Service.AcceptFranchise(r.Context(), req.FranchiseID); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type serviceJSON struct {
	Code           string `json:"code"`
	Label          string `json:"label"`
	IntervalKm     int64  `json:"interval_km"`
	IntervalMonths int    `json:"interval_months"`
	Custom         bool   `json:"custom"`
}

func writeServices(w http.ResponseWriter, status int, services []catalog.Service) {
	items := make([]serviceJSON, 0, len(services))
	for _, s := range services {
		items = append(items, serviceJSON{Code: s.Code().String(), Label: s.Label(), IntervalKm: s.Interval().Km(),
			IntervalMonths: s.Interval().Months(), Custom: s.IsCustom()})
	}
	WriteJSON(w, status, Page[serviceJSON]{Items: items})
}

func (h *TenancyHandlers) listServices(w http.ResponseWriter, r *http.Request) {
	services, err := h.Service.Services(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeServices(w, http.StatusOK, services)
}

func (h *TenancyHandlers) defineService(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code           string `json:"code"`
		Label          string `json:"label"`
		IntervalKm     int64  `json:"interval_km"`
		IntervalMonths int    `json:"interval_months"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	services, err := h.Service.DefineService(r.Context(), req.Code, req.Label, req.IntervalKm, req.IntervalMonths)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeServices(w, http.StatusCreated, services)
}

func (h *TenancyHandlers) removeService(w http.ResponseWriter, r *http.Request) {
	if err := h.Service.RemoveService(r.Context(), chi.URLParam(r, "code")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// uploadLogo takes the raw image as the body (Content-Type image/png or
// image/jpeg).
func (h *TenancyHandlers) uploadLogo(w http.ResponseWriter, r *http.Request) {
	switch ct := r.Header.Get("Content-Type"); ct {
	case "image/png", "image/jpeg":
	default:
		WriteProblem(w, Problem{Type: "/problems/unsupported-media-type", Status: http.StatusUnsupportedMediaType,
			Detail: "Send the logo as image/png or image/jpeg."})
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, tenancy.MaxLogoBytes+1))
	if err != nil {
		WriteProblem(w, Problem{Type: "/problems/body-too-large", Status: http.StatusRequestEntityTooLarge})
		return
	}
	v, err := h.Service.UploadLogo(r.Context(), data)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeWorkshop(w, http.StatusOK, v)
}
