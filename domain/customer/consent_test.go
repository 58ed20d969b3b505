package customer_test

import (
	"testing"

	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/es"
)

func TestCustomer_GiveConsent(t *testing.T) {
	t.Parallel()
	whatsapp := customer.ConsentGiven{CustomerID: custID, Purpose: "service_messages", Channel: "whatsapp", Source: "counter", GivenAt: t0}
	tests := []struct {
		name                     string
		given                    []es.Event
		purpose, channel, source string
		want                     []es.Event
		fields                   []string
	}{
		{
			name: "service messages on WhatsApp", given: []es.Event{registered()},
			purpose: "service_messages", channel: "whatsapp", source: "counter",
			want: []es.Event{customer.ConsentGiven{CustomerID: custID, Purpose: "service_messages", Channel: "whatsapp", Source: "counter", GivenAt: t1}},
		},
		{
			name: "marketing on every channel", given: []es.Event{registered()},
			purpose: "marketing", channel: "all", source: "portal",
			want: []es.Event{customer.ConsentGiven{CustomerID: custID, Purpose: "marketing", Channel: "all", Source: "portal", GivenAt: t1}},
		},
		{
			name: "already given on that channel", given: []es.Event{registered(), whatsapp},
			purpose: "service_messages", channel: "whatsapp", source: "api",
		},
		{
			name: "already covered by all", given: []es.Event{registered(), marketingGiven(t0)},
			purpose: "marketing", channel: "sms", source: "api",
		},
		{
			name: "another channel is a new consent", given: []es.Event{registered(), whatsapp},
			purpose: "service_messages", channel: "email", source: "api",
			want: []es.Event{customer.ConsentGiven{CustomerID: custID, Purpose: "service_messages", Channel: "email", Source: "api", GivenAt: t1}},
		},
		{
			name: "unknown purpose and channel, missing source", given: []es.Event{registered()},
			purpose: "spam", channel: "pigeon", source: "",
			fields: []string{"purpose:unknown_value", "channel:unknown_value", "source:required"},
		},
		{
			name: "everything missing", given: []es.Event{registered()},
			fields: []string{"purpose:required", "channel:required", "source:required"},
		},
		{
			name: "source too short", given: []es.Event{registered()},
			purpose: "marketing", channel: "all", source: "x",
			fields: []string{"source:invalid_length"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := given(tt.given...)
			err := c.GiveConsent(tt.purpose, tt.channel, tt.source, t1)
			if tt.fields != nil {
				requireFieldCodes(t, err, tt.fields)
			} else if err != nil {
				t.Fatalf("GiveConsent: %v", err)
			}
			requireEvents(t, c, tt.want)
		})
	}
}

func TestCustomer_WithdrawConsent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		given           []es.Event
		purpose, source string
		want            []es.Event
		fields          []string
	}{
		{
			name: "marketing", given: []es.Event{registered(), marketingGiven(t0)},
			purpose: "marketing", source: "portal",
			want: []es.Event{customer.ConsentWithdrawn{CustomerID: custID, Purpose: "marketing", Source: "portal", WithdrawnAt: t1}},
		},
		{
			name: "nothing to withdraw", given: []es.Event{registered(), marketingGiven(t0)},
			purpose: "service_messages", source: "api",
		},
		{
			name: "unknown purpose", given: []es.Event{registered()},
			purpose: "newsletter", source: "api", fields: []string{"purpose:unknown_value"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := given(tt.given...)
			err := c.WithdrawConsent(tt.purpose, tt.source, t1)
			if tt.fields != nil {
				requireFieldCodes(t, err, tt.fields)
			} else if err != nil {
				t.Fatalf("WithdrawConsent: %v", err)
			}
			requireEvents(t, c, tt.want)
		})
	}
}

func TestCustomer_HasConsent(t *testing.T) {
	t.Parallel()
	c := given(registered(),
		customer.ConsentGiven{CustomerID: custID, Purpose: "service_messages", Channel: "whatsapp", Source: "counter", GivenAt: t0},
		marketingGiven(t0),
		customer.ConsentWithdrawn{CustomerID: custID, Purpose: "marketing", Source: "portal", WithdrawnAt: t1},
	)
	tests := []struct {
		purpose customer.ConsentPurpose
		channel customer.Channel
		want    bool
	}{
		{customer.PurposeServiceMessages, customer.ChannelWhatsApp, true},
		{customer.PurposeServiceMessages, customer.ChannelSMS, false},
		{customer.PurposeServiceMessages, customer.ChannelAll, false},
		{customer.PurposeMarketing, customer.ChannelEmail, false},
	}
	for _, tt := range tests {
		if got := c.HasConsent(tt.purpose, tt.channel); got != tt.want {
			t.Errorf("HasConsent(%s, %s) = %v, want %v", tt.purpose, tt.channel, got, tt.want)
		}
	}
	if c.MarketingConsent() {
		t.Error("MarketingConsent after withdrawal")
	}
	history := c.Consents()
	if len(history) != 3 || history[2].Granted || history[2].Purpose != customer.PurposeMarketing || history[2].Source != "portal" {
		t.Fatalf("history = %+v", history)
	}
}

func TestParseConsentPurpose(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"service_messages", "marketing", " marketing "} {
		if _, err := customer.ParseConsentPurpose(s); err != nil {
			t.Errorf("ParseConsentPurpose(%q): %v", s, err)
		}
	}
	for _, s := range []string{"all", "whatsapp", "email", "sms"} {
		if ch, err := customer.ParseChannel(s); err != nil || ch.String() != s {
			t.Errorf("ParseChannel(%q) = %v, %v", s, ch, err)
		}
	}
	requireFieldCodes(t, mustFail(customer.ParseConsentPurpose("MARKETING")), []string{"purpose:unknown_value"})
	requireFieldCodes(t, mustFail(customer.ParseChannel("WhatsApp")), []string{"channel:unknown_value"})
}

func mustFail[T any](_ T, err error) error { return err }
