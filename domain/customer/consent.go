package customer

import (
	"github.com/torquehq/torque/domain/validate"
	"strings"
	"time"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
)

// ConsentPurpose is what the customer may be contacted for.
type ConsentPurpose struct{ s string }

// Consent purposes. Service messages (status of a service order, thank-you
// and feedback) and marketing (promotions, offers) are consented to
// separately, as the LGPD requires consent to be specific.
var (
	PurposeServiceMessages = ConsentPurpose{s: "service_messages"}
	PurposeMarketing       = ConsentPurpose{s: "marketing"}
)

// ParseConsentPurpose parses "service_messages" or "marketing"; errors are
// on the field "purpose".
func ParseConsentPurpose(s string) (ConsentPurpose, error) {
	switch p := (ConsentPurpose{s: strings.TrimSpace(s)}); p {
	case PurposeServiceMessages, PurposeMarketing:
		return p, nil
	case ConsentPurpose{}:
		return ConsentPurpose{}, errs.Invalid("purpose", br.CodeRequired, "purpose is required")
	}
	return ConsentPurpose{}, errs.Invalid("purpose", br.CodeUnknownValue, "purpose must be service_messages or marketing")
}

// String returns the stable name, e.g. "marketing".
func (p ConsentPurpose) String() string { return p.s }

// Channel is the means of contact a consent covers.
type Channel struct{ s string }

// Channels of contact. ChannelAll covers every channel, present and future.
var (
	ChannelAll      = Channel{s: "all"}
	ChannelEmail    = Channel{s: "email"}
	ChannelSMS      = Channel{s: "sms"}
	ChannelWhatsApp = Channel{s: "whatsapp"}
)

// ParseChannel parses "all", "email", "sms" or "whatsapp"; errors are on
// the field "channel".
func ParseChannel(s string) (Channel, error) {
	switch ch := (Channel{s: strings.TrimSpace(s)}); ch {
	case ChannelAll, ChannelEmail, ChannelSMS, ChannelWhatsApp:
		return ch, nil
	case Channel{}:
		return Channel{}, errs.Invalid("channel", br.CodeRequired, "channel is required")
	}
	return Channel{}, errs.Invalid("channel", br.CodeUnknownValue, "channel must be all, email, sms or whatsapp")
}

// String returns the stable name, e.g. "whatsapp".
func (c Channel) String() string { return c.s }

// ConsentRecord is one entry of the consent history: a consent given
// (Granted) or withdrawn, when and where it was collected.
type ConsentRecord struct {
	Purpose ConsentPurpose
	// Channel is the zero Channel for a withdrawal, which covers every channel.
	Channel Channel
	Granted bool
	Source  string
	At      time.Time
}

// GiveConsent records that the customer agreed to be contacted for purpose
// on channel; source says where the consent was collected ("api", "portal",
// "counter"...: a snake_case word). Nothing is recorded when the consent
// already stands, so repeating the request is harmless.
func (c *Customer) GiveConsent(purpose, channel, source string, now time.Time) error {
	if err := c.checkActive(); err != nil {
		return err
	}
	var col errs.Collector
	p, err := ParseConsentPurpose(purpose)
	validate.AddFieldErrors(&col, err)
	ch, err := ParseChannel(channel)
	validate.AddFieldErrors(&col, err)
	src := parseSource(&col, source)
	if err := col.Err(); err != nil {
		return err
	}
	if c.HasConsent(p, ch) {
		return nil
	}
	c.rec.Record(ConsentGiven{CustomerID: c.id, Purpose: p.String(), Channel: ch.String(), Source: src, GivenAt: now.UTC()})
	return nil
}

// WithdrawConsent records that the customer withdrew consent for purpose on
// every channel. Nothing is recorded when there was no consent to withdraw.
func (c *Customer) WithdrawConsent(purpose, source string, now time.Time) error {
	if err := c.checkActive(); err != nil {
		return err
	}
	var col errs.Collector
	p, err := ParseConsentPurpose(purpose)
	validate.AddFieldErrors(&col, err)
	src := parseSource(&col, source)
	if err := col.Err(); err != nil {
		return err
	}
	if len(c.granted[p]) == 0 {
		return nil
	}
	c.rec.Record(ConsentWithdrawn{CustomerID: c.id, Purpose: p.String(), Source: src, WithdrawnAt: now.UTC()})
	return nil
}

// HasConsent reports whether the customer may be contacted for purpose on
// channel. Asking for ChannelAll reports whether consent covers every
// channel.
func (c *Customer) HasConsent(purpose ConsentPurpose, channel Channel) bool {
	chans := c.granted[purpose]
	return chans[ChannelAll] || chans[channel]
}

// MarketingConsent reports whether the customer accepts marketing on at
// least one channel (the API's "marketing_consent").
func (c *Customer) MarketingConsent() bool { return len(c.granted[PurposeMarketing]) > 0 }

// Consents returns the consent history, oldest first (a fresh slice).
func (c *Customer) Consents() []ConsentRecord {
	return append([]ConsentRecord(nil), c.consents...)
}

// maxSourceLen bounds the consent source, a short identifier.
const maxSourceLen = 40

// parseSource checks a consent source: a snake_case word of 2-40
// characters. The set is open (a new intake channel is not a domain
// change), but the shape keeps free text and personal data out of it.
func parseSource(col *errs.Collector, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		col.Add("source", br.CodeRequired, "consent source is required")
		return ""
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			col.Add("source", br.CodeInvalidFormat, "source must contain only lower-case letters, digits and '_'")
			return ""
		}
	}
	if len(s) < 2 || len(s) > maxSourceLen {
		col.Add("source", br.CodeInvalidLength, "source must have 2 to 40 characters")
		return ""
	}
	return s
}

// applyConsent updates the consent state from a ConsentGiven or
// ConsentWithdrawn. Unknown stored values are kept as they are: the event
// is a fact and must apply even if this binary does not know the purpose.
func (c *Customer) applyConsent(rec ConsentRecord) {
	c.consents = append(c.consents, rec)
	if !rec.Granted {
		delete(c.granted, rec.Purpose)
		return
	}
	if c.granted == nil {
		c.granted = map[ConsentPurpose]map[Channel]bool{}
	}
	if c.granted[rec.Purpose] == nil {
		c.granted[rec.Purpose] = map[Channel]bool{}
	}
	c.granted[rec.Purpose][rec.Channel] = true
}

// marketingConsentEvent returns the event that brings marketing consent to
// want, or nil when it already is.
func (c *Customer) marketingConsentEvent(want bool, source string, now time.Time) es.Event {
	switch {
	case want && !c.MarketingConsent():
		return ConsentGiven{CustomerID: c.id, Purpose: PurposeMarketing.String(), Channel: ChannelAll.String(), Source: source, GivenAt: now}
	case !want && c.MarketingConsent():
		return ConsentWithdrawn{CustomerID: c.id, Purpose: PurposeMarketing.String(), Source: source, WithdrawnAt: now}
	}
	return nil
}
