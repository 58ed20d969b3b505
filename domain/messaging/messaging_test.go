package messaging_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
)

var saoPaulo = func() *time.Location {
	l, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		panic(err)
	}
	return l
}()

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, saoPaulo)
	if err != nil {
		panic(err)
	}
	return t
}

func consenting(purposes ...messaging.Purpose) messaging.Audience {
	a := messaging.Audience{Consents: map[messaging.Purpose]map[string]bool{}, Email: "ana@example.com",
		Mobile: "+5511987654321", Prefs: messaging.DefaultPreferences()}
	for _, p := range purposes {
		a.Consents[p] = map[string]bool{"all": true}
	}
	return a
}

var rules = messaging.Rules{Location: saoPaulo, WeeklyMarketingCap: 2}

func TestDecide_SendsOnTheFirstChosenChannelWithConsentAndContact(t *testing.T) {
	a := consenting()
	a.Consents[messaging.PurposeService] = map[string]bool{"email": true}
	d := messaging.Decide(at("2026-03-10 10:00"), messaging.PurposeService, messaging.Channel{}, a, rules)
	if !d.Send || d.Channel != messaging.ChannelEmail || d.Address != "ana@example.com" {
		t.Fatalf("decision = %+v, want e-mail (WhatsApp has no consent)", d)
	}
}

func TestDecide_SkipsWithAReason(t *testing.T) {
	now := at("2026-03-10 10:00")
	cases := map[string]struct {
		purpose messaging.Purpose
		fixed   messaging.Channel
		aud     func() messaging.Audience
		reason  string
	}{
		"consent withdrawn": {messaging.PurposeService, messaging.Channel{}, func() messaging.Audience { return consenting() }, messaging.ReasonNoConsent},
		"service consent is not marketing consent": {messaging.PurposeMarketing, messaging.ChannelEmail,
			func() messaging.Audience { return consenting(messaging.PurposeService) }, messaging.ReasonNoConsent},
		"no contact on the channel": {messaging.PurposeService, messaging.ChannelEmail, func() messaging.Audience {
			a := consenting(messaging.PurposeService)
			a.Email = ""
			return a
		}, messaging.ReasonNoContact},
		"opted out by link": {messaging.PurposeMarketing, messaging.ChannelWhatsApp, func() messaging.Audience {
			a := consenting(messaging.PurposeMarketing)
			a.Prefs.OptedOut = []messaging.Channel{messaging.ChannelWhatsApp}
			return a
		}, messaging.ReasonOptedOut},
		"weekly cap reached": {messaging.PurposeMarketing, messaging.ChannelEmail, func() messaging.Audience {
			a := consenting(messaging.PurposeMarketing)
			a.MarketingSentThisWeek = 2
			return a
		}, messaging.ReasonCap},
		"chose no channel": {messaging.PurposeService, messaging.Channel{}, func() messaging.Audience {
			a := consenting(messaging.PurposeService)
			a.Prefs.Channels = nil
			return a
		}, messaging.ReasonNoChannel},
		"erased": {messaging.PurposeService, messaging.Channel{}, func() messaging.Audience {
			a := consenting(messaging.PurposeService)
			a.Erased = true
			return a
		}, messaging.ReasonErased},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			d := messaging.Decide(now, c.purpose, c.fixed, c.aud(), rules)
			if d.Send || !d.Until.IsZero() || d.Reason != c.reason {
				t.Fatalf("decision = %+v, want skipped with %s", d, c.reason)
			}
		})
	}
}

func TestDecide_ServiceMessagesAreNotCapped(t *testing.T) {
	a := consenting(messaging.PurposeService)
	a.MarketingSentThisWeek = 10
	if d := messaging.Decide(at("2026-03-10 10:00"), messaging.PurposeService, messaging.Channel{}, a, rules); !d.Send {
		t.Fatalf("decision = %+v", d)
	}
}

func TestDecide_WaitsOutQuietHoursInTheWorkshopTimeZone(t *testing.T) {
	a := consenting(messaging.PurposeService)
	// 23:30 in São Paulo is 02:30 UTC: quiet there, whatever the server's zone.
	d := messaging.Decide(at("2026-03-10 23:30"), messaging.PurposeService, messaging.Channel{}, a, rules)
	if d.Send || d.Reason != messaging.ReasonQuietHours || !d.Until.Equal(at("2026-03-11 08:00")) {
		t.Fatalf("decision = %+v, want a wait until 08:00 local", d)
	}
	// After midnight, still quiet until 08:00.
	d = messaging.Decide(at("2026-03-11 06:59"), messaging.PurposeService, messaging.Channel{}, a, rules)
	if !d.Until.Equal(at("2026-03-11 08:00")) {
		t.Fatalf("decision = %+v", d)
	}
	// The customer's own window.
	a.Prefs.Quiet = messaging.QuietHours{From: 12 * 60, To: 14 * 60}
	d = messaging.Decide(at("2026-03-11 13:00"), messaging.PurposeService, messaging.Channel{}, a, rules)
	if !d.Until.Equal(at("2026-03-11 14:00")) {
		t.Fatalf("decision = %+v", d)
	}
	if d := messaging.Decide(at("2026-03-11 21:00"), messaging.PurposeService, messaging.Channel{}, a, rules); !d.Send {
		t.Fatalf("21:00 outside the customer's quiet hours: %+v", d)
	}
}

func TestDecide_WaitsOutNationalHolidays(t *testing.T) {
	a := consenting(messaging.PurposeService)
	// Tiradentes (21 April) then quiet hours end at 08:00 on the 22nd.
	d := messaging.Decide(at("2026-04-21 10:00"), messaging.PurposeService, messaging.Channel{}, a, rules)
	if d.Send || d.Reason != messaging.ReasonHoliday || !d.Until.Equal(at("2026-04-22 08:00")) {
		t.Fatalf("decision = %+v, want a wait until 22 April 08:00", d)
	}
	// Good Friday moves with Easter (3 April 2026); Christmas Eve is no holiday.
	if d := messaging.Decide(at("2026-04-03 09:00"), messaging.PurposeService, messaging.Channel{}, a, rules); d.Reason != messaging.ReasonHoliday {
		t.Fatalf("Good Friday: %+v", d)
	}
	if d := messaging.Decide(at("2026-12-24 09:00"), messaging.PurposeService, messaging.Channel{}, a, rules); !d.Send {
		t.Fatalf("24 December: %+v", d)
	}
}

func TestAdvances_StatusesOutOfOrderNeverGoBack(t *testing.T) {
	q, s, d, r, f, k := messaging.StatusQueued, messaging.StatusSent, messaging.StatusDelivered, messaging.StatusRead, messaging.StatusFailed, messaging.StatusSkipped
	for _, c := range []struct {
		cur, next messaging.Status
		want      bool
	}{
		{q, s, true}, {s, d, true}, {d, r, true}, {q, r, true},
		{r, d, false}, {r, s, false}, {d, s, false}, {d, d, false},
		{s, f, true}, {q, f, true}, {d, f, false}, {r, f, false}, {f, d, false}, {k, s, false},
	} {
		if got := messaging.Advances(c.cur, c.next); got != c.want {
			t.Errorf("Advances(%s, %s) = %v, want %v", c.cur, c.next, got, c.want)
		}
	}
}

func fieldCode(t *testing.T, err error) (string, string) {
	t.Helper()
	var ve *errs.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) == 0 {
		t.Fatalf("err = %v, want a validation error", err)
	}
	return ve.Fields[0].Field, ve.Fields[0].Code
}

func TestTemplate_UnknownPlaceholderNamesTheField(t *testing.T) {
	_, err := messaging.NewTemplate(messaging.KindOrderStatus, messaging.ChannelWhatsApp, "", "Olá {{customer_name}}, {{ senha }}")
	if f, c := fieldCode(t, err); f != "body" || c != messaging.CodeUnknownPlaceholder {
		t.Fatalf("field %s code %s", f, c)
	}
	if !strings.Contains(err.Error(), "body") {
		t.Fatal(err)
	}
	_, err = messaging.NewTemplate(messaging.KindOrderStatus, messaging.ChannelEmail, "{{nome}}", "ok")
	if f, _ := fieldCode(t, err); f != "subject" {
		t.Fatalf("field %s", f)
	}
	if _, err := messaging.NewTemplate(messaging.KindOrderStatus, messaging.ChannelEmail, "", "ok"); err == nil {
		t.Fatal("an e-mail template without subject was accepted")
	}
}

func TestRender_FillsPlaceholders(t *testing.T) {
	got := messaging.Render("Olá, {{ customer_name }}! OS {{order_number}}{{note}}.", map[string]string{"customer_name": "Ana", "order_number": "7"})
	if got != "Olá, Ana! OS 7." {
		t.Fatalf("got %q", got)
	}
}

func TestParsePreferences_ReportsEveryBadField(t *testing.T) {
	_, err := messaging.ParsePreferences(messaging.PreferencesInput{Channels: []string{"email", "pombo"}, Reminders: "daily",
		QuietFrom: "25:00", QuietTo: "08:00"}, messaging.DefaultPreferences())
	var ve *errs.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 3 {
		t.Fatalf("err = %v, want channels[1], reminders and quiet_hours.from", err)
	}
	p, err := messaging.ParsePreferences(messaging.PreferencesInput{Channels: []string{"sms", "email", "sms"}, Reminders: "monthly",
		QuietFrom: "21:00", QuietTo: "07:30"}, messaging.Preferences{OptedOut: []messaging.Channel{messaging.ChannelSMS}})
	if err != nil || len(p.Channels) != 2 || !p.OptedOutOf(messaging.ChannelSMS) || p.Quiet.To.String() != "07:30" {
		t.Fatalf("p = %+v, err = %v", p, err)
	}
}

func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{"", "Olá {{customer_name}}", "{{", "}}{{", "{{ workshop_name }} {{x}}", "{{{{customer_name}}}}", "\xff{{status}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		segs, err := messaging.ParseTemplate("body", s)
		if err != nil {
			var ve *errs.ValidationError
			if !errors.As(err, &ve) || ve.Fields[0].Field != "body" {
				t.Fatalf("error without the field: %v", err)
			}
			return
		}
		// Accepted: every placeholder is known and rendering is total.
		var b strings.Builder
		for _, sg := range segs {
			if sg.Placeholder {
				known := false
				for _, p := range messaging.Placeholders {
					known = known || p == sg.Text
				}
				if !known {
					t.Fatalf("unknown placeholder %q accepted", sg.Text)
				}
			} else {
				b.WriteString(sg.Text)
			}
		}
		if got := messaging.Render(s, nil); got != b.String() {
			t.Fatalf("Render = %q, literal text = %q", got, b.String())
		}
	})
}
