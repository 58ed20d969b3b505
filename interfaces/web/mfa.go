package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/i18n"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/interfaces/session"
)

// Second factors and recent sign-ins in the back office (issue 10 item 4).
// The rules are the API's: workshop scoping goes through
// session.ScopeToWorkshopChecked with the same session.Policy, and the use
// cases refuse privileged actions of a stale session (authz.Require,
// errs.ErrReauthenticate). This file turns those refusals into Kratos flows:
// a refresh login, the second-factor step, or the enrolment of a factor.

// backTo is the page to return to after a Kratos detour, as an absolute URL
// on Torque's origin (Kratos accepts only allowed return URLs): the page the
// person was on (a same-origin Referer) when there is one, else the requested
// page when it is a GET, else the workshop's home.
func (h *Handler) backTo(r *http.Request, preferReferer bool) string {
	base := strings.TrimRight(h.cfg.PublicURL, "/")
	path := ""
	if ref := r.Referer(); preferReferer && strings.HasPrefix(ref, base+"/") {
		path = strings.TrimPrefix(ref, base)
	}
	if path == "" && (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.Header.Get("HX-Request") == "" {
		path = r.URL.RequestURI()
	}
	if path == "" {
		if ref := r.Referer(); strings.HasPrefix(ref, base+"/") {
			path = strings.TrimPrefix(ref, base)
		}
	}
	if path == "" {
		path = "/app/" + chi.URLParam(r, "slug") + "/"
	}
	return base + localPath(path)
}

// detour sends the browser to url: a 303, or for htmx an HX-Redirect (a
// fragment request must not swap Kratos's page into the current one).
func detour(w http.ResponseWriter, r *http.Request, to string) {
	if r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusForbidden)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther) //nolint:gosec // Kratos's own URL with our return URL
}

// reauthenticate answers a privileged action refused for a stale sign-in
// (errs.ErrReauthenticate): a Kratos refresh login (refresh=true, with
// aal=aal2 when the session has a second factor, so the code is asked too),
// which returns the person to the page they were on, where they can retry.
func (h *Handler) reauthenticate(w http.ResponseWriter, r *http.Request) {
	session.ForgetCached(r.Context())
	q := url.Values{"refresh": {"true"}, "return_to": {h.backTo(r, true)}}
	if s, ok := sessionOf(r.Context()); ok && s.AAL == identity.AAL2 {
		q.Set("aal", identity.AAL2)
	}
	detour(w, r, h.cfg.Flows.StartURL("login")+"?"+q.Encode())
}

// secondFactor answers a request refused because the workshop requires a
// second factor the session has not shown (errs.ErrMFARequired): Kratos's
// second-factor step (aal=aal2), back to the requested page. A person with
// no factor enrolled is sent on from the login page to enrol one (login).
func (h *Handler) secondFactor(w http.ResponseWriter, r *http.Request) {
	q := url.Values{"aal": {identity.AAL2}, "return_to": {h.backTo(r, false)}}
	detour(w, r, h.cfg.Flows.StartURL("login")+"?"+q.Encode())
}

// authRefusal handles the refusals a Kratos flow fixes; false for others.
func (h *Handler) authRefusal(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case errors.Is(err, errs.ErrReauthenticate):
		h.reauthenticate(w, r)
		return true
	case errors.Is(err, errs.ErrMFARequired):
		session.ForgetCached(r.Context())
		h.secondFactor(w, r)
		return true
	}
	return false
}

// enrolInstead reports, for a second-factor login flow that offers no
// factor (the person has none), where to enrol one: Kratos's settings flow,
// returning to where the login flow would have.
func (h *Handler) enrolInstead(f identity.Flow) (string, bool) {
	if f.RequestedAAL != identity.AAL2 || f.Refresh || f.HasInput("totp_code") {
		return "", false
	}
	to := h.cfg.Flows.StartURL("settings")
	if base := strings.TrimRight(h.cfg.PublicURL, "/"); strings.HasPrefix(f.ReturnTo, base+"/") {
		to += "?" + url.Values{"return_to": {f.ReturnTo}}.Encode()
	}
	return to, true
}

// mfaMessage translates Kratos's messages about second factors and
// re-authentication; ok false for other messages. An empty text is a message
// the page already says in its own words.
func mfaMessage(l i18n.Locale, m identity.FlowMessage) (string, bool) {
	switch m.ID {
	case 1010003, 1010004: // "confirm this action", "complete the second challenge"
		return "", true
	case 4000008: // wrong TOTP code
		return tr(l, "web.mfa.invalid_code"), true
	}
	return "", false
}

// accountView is the account page: Kratos's settings flow (password, and
// the TOTP group: QR code, secret, code input, or unlinking).
type accountView struct {
	Action, CSRF string
	Messages     []string
	// Password: the flow offers a new password.
	Password bool
	// QR (a data: URL) and Secret are set while no TOTP is enrolled.
	QR     template.URL
	Secret string
	// Enrol: the flow asks for a TOTP code to enrol; Unlink: a TOTP is
	// enrolled and can be removed.
	Enrol, Unlink bool
	// Required: the person came here because a workshop requires a factor.
	Required bool
}

func (h *Handler) accountSettings(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("flow")
	if id == "" {
		http.Redirect(w, r, h.cfg.Flows.StartURL("settings"), http.StatusSeeOther)
		return
	}
	f, err := h.cfg.Flows.Flow(r.Context(), "settings", id, r.Header.Get("Cookie"))
	if errors.Is(err, identity.ErrFlowGone) {
		http.Redirect(w, r, h.cfg.Flows.StartURL("settings"), http.StatusSeeOther)
		return
	}
	if err != nil {
		h.cfg.Log.ErrorContext(r.Context(), "web: settings flow", "err", err)
		h.errorPage(w, r, http.StatusServiceUnavailable, "web.error.identity_unavailable")
		return
	}
	v := h.newView(r, "web.account.title")
	if s, err := session.Resolve(r, h.cfg.Authn); err == nil {
		v.User = s.Identity.Name
		if v.User == "" {
			v.User = s.Identity.Email
		}
	}
	av := accountView{Action: f.Action, CSRF: f.Value("csrf_token"), Password: f.HasInput("password"),
		Enrol: f.HasInput("totp_code")}
	if n, ok := f.Node("totp_qr"); ok && strings.HasPrefix(n.Src, "data:image/png;base64,") {
		av.QR = template.URL(n.Src) //nolint:gosec // Kratos's PNG as a data: URL, its prefix checked

	}
	if n, ok := f.Node("totp_secret_key"); ok {
		av.Secret = n.Text
	}
	for _, in := range f.Inputs {
		if in.Name == "totp_unlink" {
			av.Unlink = true
		}
	}
	base := strings.TrimRight(h.cfg.PublicURL, "/")
	av.Required = av.Enrol && strings.HasPrefix(f.ReturnTo, base+"/app/")
	for _, m := range f.AllMessages() {
		if s := kratosMessage(v.L, m); s != "" {
			av.Messages = append(av.Messages, s)
		}
	}
	v.Data = av
	h.render(w, r, http.StatusOK, "account", v)
}

// settingsMFASave is the owner's switch "require a second factor of
// everyone" (the use case of PUT …/security/mfa).
func (h *Handler) settingsMFASave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	required := r.PostForm.Get("required") == "true"
	// The cached session may predate the factor the owner just enrolled:
	// Kratos is asked once more before refusing.
	err := session.RetryWithFreshFactor(r.Context(), h.cfg.Scopes, chi.URLParam(r, "slug"), h.cfg.AuthPolicy,
		func(ctx context.Context) error {
			_, err := h.cfg.Workshops.SetMFARequirement(ctx, required)
			return err
		})
	if err != nil {
		if errors.Is(err, errs.ErrMFARequired) {
			// The owner's own session has no second factor: enrolling one
			// comes first (they would lock themselves out).
			h.settingsPage(w, r, http.StatusForbidden, "web.mfa.require_own")
			return
		}
		if h.authRefusal(w, r, err) {
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/settings"), "mfa_saved"))
}

// staffRemove revokes a membership (the use case of DELETE …/staff/{id}).
func (h *Handler) staffRemove(w http.ResponseWriter, r *http.Request) {
	if err := h.cfg.Staff.RemoveStaff(r.Context(), chi.URLParam(r, "identity")); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/staff"), "staff_removed"))
}
