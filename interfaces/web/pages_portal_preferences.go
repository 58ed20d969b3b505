package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/datasubject"
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
	// Marketing is the marketing consent per channel (nil: not shown).
	Marketing []portalChannel
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
	out := portalPrefsOf(p)
	if set, ok := h.marketingConsents(r); ok {
		out.Marketing = marketingChannels(set)
	}
	return out
}

// consentAll is the consent channel that covers every channel.
const consentAll = "all"

// marketingConsents is the car owner's current marketing consent per
// channel (on their oldest record), from the consent history.
func (h *Handler) marketingConsents(r *http.Request) (map[string]bool, bool) {
	p, ok := authz.PrincipalFrom(r.Context())
	if h.cfg.DataSubject == nil || !ok || len(p.CustomerIDs) == 0 {
		return nil, false
	}
	list, err := h.cfg.DataSubject.ListConsents(r.Context(), p.CustomerIDs[0])
	if err != nil {
		h.cfg.Log.WarnContext(r.Context(), "web: portal consents", "err", err)
		return nil, false
	}
	set := map[string]bool{}
	for _, c := range list {
		switch {
		case c.Purpose != "marketing":
		case c.Granted:
			set[c.Channel] = true
		default: // a withdrawal covers every channel
			clear(set)
		}
	}
	out := map[string]bool{}
	for _, ch := range messaging.Channels {
		out[ch.String()] = set[consentAll] || set[ch.String()]
	}
	return out, true
}

func marketingChannels(set map[string]bool) []portalChannel {
	var out []portalChannel
	for _, ch := range messaging.Channels {
		out = append(out, portalChannel{Name: ch.String(), Checked: set[ch.String()]})
	}
	return out
}

// saveMarketing brings the marketing consents of every record of the car
// owner to the channels chosen: new channels are given; dropping one
// withdraws the purpose (consent is withdrawn per purpose) and gives the
// channels still chosen again, all with source "portal".
func (h *Handler) saveMarketing(r *http.Request, chosen []string) error {
	cur, ok := h.marketingConsents(r)
	p, _ := authz.PrincipalFrom(r.Context())
	if !ok {
		return nil
	}
	want := map[string]bool{}
	for _, c := range chosen {
		want[c] = true
	}
	dropped := false
	var added []string
	for _, ch := range messaging.Channels {
		c := ch.String()
		switch {
		case cur[c] && !want[c]:
			dropped = true
		case !cur[c] && want[c]:
			added = append(added, c)
		}
	}
	if !dropped && len(added) == 0 {
		return nil
	}
	for _, id := range p.CustomerIDs {
		give := added
		if dropped {
			if _, err := h.cfg.DataSubject.WithdrawConsent(r.Context(), datasubject.WithdrawConsentInput{CustomerID: id,
				Purpose: "marketing", Source: consentSourcePortal}); err != nil {
				return err
			}
			give = nil
			for _, ch := range messaging.Channels {
				if want[ch.String()] {
					give = append(give, ch.String())
				}
			}
		}
		for _, c := range give {
			if _, err := h.cfg.DataSubject.GiveConsent(r.Context(), datasubject.GiveConsentInput{CustomerID: id,
				Purpose: "marketing", Channel: c, Source: consentSourcePortal}); err != nil {
				return err
			}
		}
	}
	return nil
}

// consentSourcePortal records where a consent was given or withdrawn.
const consentSourcePortal = "portal"

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
	_, err = h.cfg.Messaging.SetMyPreferences(r.Context(), in)
	if err == nil {
		err = h.saveMarketing(r, f["prefs.marketing"])
	}
	if err != nil {
		v := h.portalView(r, "web.portal.profile.title", "profile")
		if h.formErrors(r, &v, err) {
			me, merr := h.cfg.Portal.Me(r.Context())
			if merr != nil {
				h.portalFail(w, r, merr)
				return
			}
			h.fillProfileForm(&v, me)
			page := portalProfilePage{Prefs: h.portalPrefsFor(r)}
			if page.Prefs == nil {
				page.Prefs = portalPrefsOf(cur)
			}
			if me.Contact != nil {
				page.Email = me.Contact.Email
			}
			page.Prefs.Reminder, page.Prefs.QuietFrom, page.Prefs.QuietTo = in.Reminders, in.QuietFrom, in.QuietTo
			prefixed := map[string]string{}
			for k, msg := range v.Errors {
				prefixed["prefs."+k] = msg
			}
			v.Errors = prefixed
			v.Data = page
			h.renderPortal(w, r, http.StatusUnprocessableEntity, "portal_profile", v)
			return
		}
		h.portalFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/p/"+chi.URLParam(r, "slug")+"/profile?ok=prefs", http.StatusSeeOther)
}
