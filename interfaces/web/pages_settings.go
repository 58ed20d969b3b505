package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/workshop"
)

func (h *Handler) brandCSS(w http.ResponseWriter, r *http.Request) {
	ws := workshopOf(r.Context())
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=60")
	var b strings.Builder
	b.WriteString(":root{")
	if c := ws.Profile.PrimaryColor; hexColor.MatchString(c) {
		fmt.Fprintf(&b, "--brand:%s;", c)
	}
	if c := ws.Profile.SecondaryColor; hexColor.MatchString(c) {
		fmt.Fprintf(&b, "--brand-2:%s;", c)
	}
	b.WriteString("}\n")
	_, _ = w.Write([]byte(b.String()))
}

func (h *Handler) settings(w http.ResponseWriter, r *http.Request) {
	h.settingsPage(w, r, http.StatusOK, "")
}

// settingsPage renders the settings with status and, when alertKey is not
// empty, that message above the forms.
func (h *Handler) settingsPage(w http.ResponseWriter, r *http.Request, status int, alertKey string) {
	if !h.allowed(w, r, authz.UpdateWorkshop) {
		return
	}
	v := h.newView(r, "web.settings.title")
	v.Nav = "settings"
	if alertKey != "" {
		v.Alert = tr(v.L, alertKey)
	}
	ws, err := h.cfg.Workshops.GetWorkshop(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := ws.Profile
	for k, val := range map[string]string{"name": p.Name, "legal_name": p.LegalName, "email": p.Email,
		"phone": formatPhone(p.Phone), "primary_color": p.PrimaryColor, "secondary_color": p.SecondaryColor,
		"logo_url": p.LogoURL, "privacy_policy": p.PrivacyPolicy} {
		v.Form.Set(k, val)
	}
	if v.Form.Get("name") == "" {
		v.Form.Set("name", ws.Name)
	}
	// A colour input always submits a colour: start from Torque's own.
	if v.Form.Get("primary_color") == "" {
		v.Form.Set("primary_color", defaultPrimary)
	}
	if v.Form.Get("secondary_color") == "" {
		v.Form.Set("secondary_color", defaultSecondary)
	}
	h.render(w, r, status, "settings", v)
}

func (h *Handler) settingsSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	v := h.newView(r, "web.settings.title")
	v.Nav = "settings"
	v.Form = r.PostForm
	str := func(k string) *string { s := r.PostForm.Get(k); return &s }
	in := workshop.ProfileInput{Name: str("name"), LegalName: str("legal_name"), Email: str("email"), Phone: str("phone"),
		PrimaryColor: str("primary_color"), Secondary: str("secondary_color")}
	if v.Can(string(authz.EditPrivacyPolicy)) && r.PostForm.Has("privacy_policy") {
		in.PrivacyPolicy = str("privacy_policy")
	}
	if _, err := h.cfg.Workshops.UpdateProfile(r.Context(), in, nil); err != nil {
		if h.formErrors(r, &v, err) {
			if msg, ok := v.Errors["secondary"]; ok {
				v.Errors["secondary_color"] = msg
			}
			h.render(w, r, http.StatusUnprocessableEntity, "settings", v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/settings"), "settings_saved"))
}
