package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/torquehq/torque/interfaces/httperr"
	"github.com/torquehq/torque/interfaces/session"

	"github.com/torquehq/torque/application/i18n"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/application/signup"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
)

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	if _, err := session.Resolve(r, h.cfg.Authn); err == nil {
		http.Redirect(w, r, "/app/", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// loginView is the login form: Kratos's flow rendered in Torque's look.
type loginView struct {
	Action, CSRF, Identifier string
	Messages                 []string
	// Notice says why a signed-in person is asked again (a refresh login
	// or the second-factor step).
	Notice string
	// SecondFactor: the flow asks for a TOTP code, not a password.
	SecondFactor bool
	// Known: the identifier is the signed-in person's own (refresh).
	Known bool
}

// login starts (no ?flow) or renders a Kratos browser login flow. The form
// posts straight to Kratos, which sets the session cookie and redirects.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("flow")
	if id == "" {
		if _, err := session.Resolve(r, h.cfg.Authn); err == nil {
			http.Redirect(w, r, "/app/", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, h.cfg.Flows.StartURL("login"), http.StatusSeeOther)
		return
	}
	f, err := h.cfg.Flows.Flow(r.Context(), "login", id, r.Header.Get("Cookie"))
	if errors.Is(err, identity.ErrFlowGone) {
		http.Redirect(w, r, h.cfg.Flows.StartURL("login"), http.StatusSeeOther)
		return
	}
	if err != nil {
		h.cfg.Log.ErrorContext(r.Context(), "web: login flow", "err", err)
		h.errorPage(w, r, http.StatusServiceUnavailable, "web.error.identity_unavailable")
		return
	}
	if to, ok := h.enrolInstead(f); ok {
		// The second-factor step of someone with no factor: enrol one.
		http.Redirect(w, r, to, http.StatusSeeOther) //nolint:gosec // Kratos's own URL
		return
	}
	v := h.newView(r, "web.login.title")
	lv := loginView{Action: f.Action, CSRF: f.Value("csrf_token"), Identifier: f.Value("identifier"),
		SecondFactor: f.HasInput("totp_code")}
	switch {
	case f.Refresh && lv.SecondFactor:
		lv.Notice = tr(v.L, "web.mfa.refresh_code")
	case f.Refresh:
		lv.Notice = tr(v.L, "web.mfa.refresh_password")
	case lv.SecondFactor:
		lv.Notice = tr(v.L, "web.mfa.second_step")
	}
	if f.Refresh && lv.Identifier == "" {
		if s, err := session.Resolve(r, h.cfg.Authn); err == nil {
			lv.Identifier, lv.Known = s.Identity.Email, s.Identity.Email != ""
		}
	}
	for _, m := range f.AllMessages() {
		if text := kratosMessage(v.L, m); text != "" {
			lv.Messages = append(lv.Messages, text)
		}
	}
	v.Data = lv
	h.render(w, r, http.StatusOK, "login", v)
}

// kratosMessage translates the Kratos messages a staff member may meet.
func kratosMessage(l i18n.Locale, m identity.FlowMessage) string {
	if text, ok := mfaMessage(l, m); ok {
		return text
	}
	switch m.ID {
	case 4000006, 4000035:
		return tr(l, "problem.login_failed")
	case 4000002:
		return tr(l, "error.required")
	case 4010001, 4010002:
		return tr(l, "web.login.expired")
	case 1060001, 1060002:
		return tr(l, "web.recovery.sent")
	case 1050001:
		return tr(l, "web.account.saved")
	case 1080001, 1080003:
		return tr(l, "web.verify.sent")
	case 1080002:
		return tr(l, "web.verify.done")
	case 4000031:
		return tr(l, "error.too_similar")
	case 4000032:
		return tr(l, "error.weak_password")
	case 4000034:
		return tr(l, "error.breached")
	}
	if m.Type == "error" {
		return tr(l, "web.error.generic")
	}
	return m.Text
}

// logout (a POST from Torque's own page, so no other site can sign a
// person out) asks Kratos for the logout URL of the browser's session and sends
// the browser there (Kratos then redirects to /login).
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if !h.sameOrigin(r) {
		h.errorPage(w, r, http.StatusForbidden, "web.error.csrf")
		return
	}
	logoutURL, err := h.cfg.Flows.LogoutURL(r.Context(), r.Header.Get("Cookie"))
	if err != nil {
		if !errors.Is(err, identity.ErrFlowGone) {
			h.cfg.Log.WarnContext(r.Context(), "web: logout flow", "err", err)
		}
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, logoutURL, http.StatusSeeOther) //nolint:gosec // the URL is Kratos's answer, not the request's
}

// flowView renders a recovery, verification or account-settings flow.
type flowView struct {
	Kind, Action, CSRF string
	// Fields lists the inputs the flow asks for now (code, email, password).
	Fields   []string
	Messages []string
}

func (h *Handler) selfService(kind, titleKey string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("flow")
		if id == "" {
			http.Redirect(w, r, h.cfg.Flows.StartURL(kind), http.StatusSeeOther)
			return
		}
		f, err := h.cfg.Flows.Flow(r.Context(), kind, id, r.Header.Get("Cookie"))
		if errors.Is(err, identity.ErrFlowGone) {
			http.Redirect(w, r, h.cfg.Flows.StartURL(kind), http.StatusSeeOther)
			return
		}
		if err != nil {
			h.cfg.Log.ErrorContext(r.Context(), "web: self-service flow", "kind", kind, "err", err)
			h.errorPage(w, r, http.StatusServiceUnavailable, "web.error.identity_unavailable")
			return
		}
		v := h.newView(r, titleKey)
		fv := flowView{Kind: kind, Action: f.Action, CSRF: f.Value("csrf_token")}
		for _, name := range []string{"email", "code", "password"} {
			if f.HasInput(name) {
				fv.Fields = append(fv.Fields, name)
			}
		}
		for _, m := range f.AllMessages() {
			fv.Messages = append(fv.Messages, kratosMessage(v.L, m))
		}
		v.Data = fv
		h.render(w, r, http.StatusOK, "flow", v)
	}
}

func (h *Handler) recovery(w http.ResponseWriter, r *http.Request) {
	h.selfService("recovery", "web.recovery.title")(w, r)
}

func (h *Handler) verification(w http.ResponseWriter, r *http.Request) {
	h.selfService("verification", "web.verification.title")(w, r)
}

func (h *Handler) kratosError(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, http.StatusOK, "web.error.generic")
}

// chooseWorkshop sends a member of one workshop straight to it and lists
// the workshops of someone in several.
func (h *Handler) chooseWorkshop(w http.ResponseWriter, r *http.Request) {
	s, _ := sessionOf(r.Context())
	ms, _, err := h.cfg.Memberships.Me(r.Context(), memberships.Caller{IdentityID: s.Identity.ID, Email: s.Identity.Email, Name: s.Identity.Name})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(ms) == 1 {
		http.Redirect(w, r, "/app/"+ms[0].WorkshopSlug+"/", http.StatusSeeOther)
		return
	}
	v := h.newView(r, "web.choose.title")
	v.Data = ms
	h.render(w, r, http.StatusOK, "choose", v)
}

// signupDone is the page after a successful signup.
type signupDone struct {
	Workshop    workshops.WorkshopView
	CheckoutURL string
}

func (h *Handler) signupForm(w http.ResponseWriter, r *http.Request) {
	v := h.newView(r, "web.signup.title")
	v.Form.Set("plan", "basic")
	h.render(w, r, http.StatusOK, "signup", v)
}

func (h *Handler) signup(w http.ResponseWriter, r *http.Request) {
	v := h.newView(r, "web.signup.title")
	if !h.sameOrigin(r) {
		h.errorPage(w, r, http.StatusForbidden, "web.error.csrf")
		return
	}
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "web.error.generic")
		return
	}
	v.Form = r.PostForm
	res, err := h.cfg.Signup.SignUpWorkshop(r.Context(), signup.Input{
		WorkshopName: r.PostForm.Get("workshop_name"), Slug: strings.ToLower(strings.TrimSpace(r.PostForm.Get("slug"))),
		Plan: r.PostForm.Get("plan"), OwnerName: r.PostForm.Get("owner.name"), OwnerEmail: r.PostForm.Get("owner.email"),
		OwnerPass: r.PostForm.Get("owner.password"),
	})
	if err != nil {
		v.Form.Del("owner.password")
		if h.formErrors(r, &v, err) {
			h.render(w, r, http.StatusUnprocessableEntity, "signup", v)
			return
		}
		h.fail(w, r, err)
		return
	}
	v.Title = tr(v.L, "web.signup.done_title")
	v.Data = signupDone{Workshop: res.Workshop, CheckoutURL: res.CheckoutURL}
	h.render(w, r, http.StatusOK, "signup_done", v)
}

// formErrors puts a validation or conflict error beside its fields (true),
// or reports that err is of another kind (false).
func (h *Handler) formErrors(r *http.Request, v *view, err error) bool {
	l := v.L
	var ve *errs.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			field := f.Field
			if field == "name" && v.Form.Has("workshop_name") {
				field = "workshop_name"
			}
			if _, dup := v.Errors[field]; !dup {
				v.Errors[field] = messages.FieldError(l, f.Code)
			}
		}
		v.Alert = tr(l, "web.form.fix_errors")
		return true
	}
	var ce *errs.ConflictError
	if errors.As(err, &ce) {
		v.Errors[ce.Field] = messages.FieldError(l, ce.Code)
		v.Alert = tr(l, "web.form.fix_errors")
		return true
	}
	return false
}

// fail renders the page for an error a form cannot place beside a field,
// with the same status the API gives that kind of error (httperr).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if h.authRefusal(w, r, err) {
		return
	}
	c, known := httperr.Classify(err)
	if !known {
		h.cfg.Log.ErrorContext(r.Context(), "web: request failed", "path", r.URL.Path, "err", err)
	}
	h.errorPage(w, r, c.Status, c.MessageKey)
}

func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func withFlash(path, key string) string { return path + "?ok=" + url.QueryEscape(key) }
