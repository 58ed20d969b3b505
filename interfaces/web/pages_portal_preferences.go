package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/domain/messaging"
)

// The car owner's message preferences, a section of the portal's profile
// page (channels in order, reminder frequency, quiet hours, the channels
// unsubscribed by link), saved through messaging.SetMyPreferences.

func init() {
	registerPortalFeature(portalFeature{Mount: func(h *Handler, r chi.Router) {
		r.Post("/profile/preferences", h.portalPreferencesSave)
	}})
}

// portalPrefs is the preferences section's state.
type portalPrefs struct {
	// Channels are every channel, chosen ones first in their order.
	Channels []portalChannel
	// Reminders are the frequencies offered; Reminder the chosen one.
	Reminders []string
	Reminder  string
	QuietFrom string
	QuietTo   string
	OptedOut  []string
}

type portalChannel struct {
	Name    string
	Checked bool
}

func portalPrefsOf(p messaging.Preferences) *portalPrefs {
	out := &portalPrefs{Reminders: []string{messaging.RemindEachDue.String(), messaging.RemindMonthly.String(),
		messaging.RemindQuarterly.String(), messaging.RemindNever.String()},
		Reminder: p.Reminders.String(), QuietFrom: p.Quiet.From.String(), QuietTo: p.Quiet.To.String()}
	chosen := map[messaging.Channel]bool{}
	for _, c := range p.Channels {
		chosen[c] = true
		out.Channels = append(out.Channels, portalChannel{Name: c.String(), Checked: true})
	}
	for _, c := range messaging.Channels {
		if !chosen[c] {
			out.Channels = append(out.Channels, portalChannel{Name: c.String()})
		}
	}
	for _, c := range p.OptedOut {
		out.OptedOut = append(out.OptedOut, c.String())
	}
	return out
}

// portalPrefsFor reads the car owner's preferences for the profile page
// (nil without messaging or on failure: the section is left out).
func (h *Handler) portalPrefsFor(r *http.Request) *portalPrefs {
	if h.cfg.Messaging == nil {
		return nil
	}
	p, err := h.cfg.Messaging.GetMyPreferences(r.Context())
	if err != nil {
		h.cfg.Log.WarnContext(r.Context(), "web: portal preferences", "err", err)
		return nil
	}
	return portalPrefsOf(p)
}

func (h *Handler) portalPreferencesSave(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Messaging == nil {
		h.portalError(w, r, http.StatusNotFound, "web.error.not_found")
		return
	}
	if err := r.ParseForm(); err != nil {
		h.portalError(w, r, http.StatusBadRequest, "web.error.generic")
		return
	}
	f := r.PostForm
	cur, err := h.cfg.Messaging.GetMyPreferences(r.Context())
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	// Keep the order of channels still chosen; newly chosen ones follow.
	picked := map[string]bool{}
	for _, c := range f["prefs.channels"] {
		picked[c] = true
	}
	in := messaging.PreferencesInput{Channels: []string{}, Reminders: f.Get("prefs.reminders"), QuietFrom: f.Get("prefs.quiet_from"), QuietTo: f.Get("prefs.quiet_to")}
	seen := map[string]bool{}
	for _, c := range cur.Channels {
		if picked[c.String()] {
			in.Channels, seen[c.String()] = append(in.Channels, c.String()), true
		}
	}
	for _, c := range f["prefs.channels"] {
		if !seen[c] {
			in.Channels, seen[c] = append(in.Channels, c), true
		}
	}
	if _, err := h.cfg.Messaging.SetMyPreferences(r.Context(), in); err != nil {
		v := h.portalView(r, "web.portal.profile.title", "profile")
		if h.formErrors(r, &v, err) {
			me, merr := h.cfg.Portal.Me(r.Context())
			if merr != nil {
				h.portalFail(w, r, merr)
				return
			}
			h.fillProfileForm(&v, me)
			page := portalProfilePage{Prefs: portalPrefsOf(cur)}
			if me.Contact != nil {
				page.Email = me.Contact.Email
			}
			page.Prefs.Reminder, page.Prefs.QuietFrom, page.Prefs.QuietTo = in.Reminders, in.QuietFrom, in.QuietTo
			for k, msg := range v.Errors {
				delete(v.Errors, k)
				v.Errors["prefs."+k] = msg
			}
			v.Data = page
			h.renderPortal(w, r, http.StatusUnprocessableEntity, "portal_profile", v)
			return
		}
		h.portalFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/p/"+chi.URLParam(r, "slug")+"/profile?ok=prefs", http.StatusSeeOther)
}
