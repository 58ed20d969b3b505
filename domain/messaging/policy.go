package messaging

import (
	"time"

	"github.com/torquehq/torque/domain/br"
)

// Audience is what the send-time policy knows about the customer.
type Audience struct {
	Erased bool
	// Consents: purpose → channels consented ("all" covers every channel).
	Consents map[Purpose]map[string]bool
	// Contact on each channel ("" when absent).
	Email, Mobile string
	Prefs         Preferences
	// MarketingSentThisWeek counts the marketing messages sent to the
	// customer in the 7 days before now.
	MarketingSentThisWeek int
}

// HasConsent reports consent for purpose on ch.
func (a Audience) HasConsent(p Purpose, ch Channel) bool {
	cs := a.Consents[p]
	return cs["all"] || cs[ch.String()]
}

// Address returns the customer's address on ch ("" when absent).
func (a Audience) Address(ch Channel) string {
	if ch == ChannelEmail {
		return a.Email
	}
	return a.Mobile
}

// Decision is what to do with a due message now.
type Decision struct {
	// Send: deliver on Channel to Address. Otherwise, when Until is set,
	// wait until then (quiet hours, holiday); when it is not, skip.
	Send    bool
	Channel Channel
	Address string
	Until   time.Time
	Reason  string
}

// Rules are the workshop's sending rules.
type Rules struct {
	// Location is the workshop's time zone.
	Location *time.Location
	// WeeklyMarketingCap is the most marketing messages a customer gets in
	// 7 days (0: no cap).
	WeeklyMarketingCap int
}

// DefaultTimeZone is the workshop time zone when the profile names none.
const DefaultTimeZone = "America/Sao_Paulo"

// Decide applies the send-time rules, in this order: erased → skipped;
// channel (the fixed one, or the first chosen channel with consent and a
// contact) → skipped no_consent / opted_out / no_contact / no_chosen_channel;
// marketing cap → skipped weekly_cap; national holiday or quiet hours in
// the workshop's time zone → wait until the next allowed minute.
func Decide(now time.Time, purpose Purpose, fixed Channel, a Audience, r Rules) Decision {
	if a.Erased {
		return Decision{Reason: ReasonErased}
	}
	ch, reason := pickChannel(purpose, fixed, a)
	if ch.IsZero() {
		return Decision{Reason: reason}
	}
	if purpose == PurposeMarketing && r.WeeklyMarketingCap > 0 && a.MarketingSentThisWeek >= r.WeeklyMarketingCap {
		return Decision{Channel: ch, Reason: ReasonCap}
	}
	if until, why := NextAllowed(now, r.Location, a.Prefs.Quiet); !until.Equal(now) {
		return Decision{Channel: ch, Until: until, Reason: why}
	}
	return Decision{Send: true, Channel: ch, Address: a.Address(ch)}
}

func pickChannel(purpose Purpose, fixed Channel, a Audience) (Channel, string) {
	check := func(ch Channel) string {
		switch {
		case !a.HasConsent(purpose, ch):
			return ReasonNoConsent
		case purpose == PurposeMarketing && a.Prefs.OptedOutOf(ch):
			return ReasonOptedOut
		case a.Address(ch) == "":
			return ReasonNoContact
		}
		return ""
	}
	if !fixed.IsZero() {
		if r := check(fixed); r != "" {
			return Channel{}, r
		}
		return fixed, ""
	}
	first := ReasonNoChannel
	for _, ch := range a.Prefs.Channels {
		r := check(ch)
		if r == "" {
			return ch, ""
		}
		if first == ReasonNoChannel {
			first = r
		}
	}
	return Channel{}, first
}

// NextAllowed returns now when a message may go out now, or the first
// minute after now, in loc, that is neither quiet nor a national holiday,
// with the reason of the wait.
func NextAllowed(now time.Time, loc *time.Location, q QuietHours) (time.Time, string) {
	if loc == nil {
		loc = time.UTC
	}
	t := now.In(loc)
	reason := ""
	for i := 0; i < 14*24*60; i++ { // bounded: at most two weeks of minutes
		if h, _ := br.IsNationalHoliday(t); h {
			if reason == "" {
				reason = ReasonHoliday
			}
			y, m, d := t.Date()
			t = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
			continue
		}
		if q.Contains(ClockTime(t.Hour()*60 + t.Minute())) {
			if reason == "" {
				reason = ReasonQuietHours
			}
			y, m, d := t.Date()
			end := time.Date(y, m, d, int(q.To)/60, int(q.To)%60, 0, 0, loc)
			if !end.After(t) {
				end = end.AddDate(0, 0, 1)
			}
			t = end
			continue
		}
		break
	}
	if reason == "" {
		return now, ""
	}
	return t.UTC(), reason
}
