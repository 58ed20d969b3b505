// Package messaging holds the rules of messages to car owners: kinds,
// channels and statuses, the template placeholders, and the send-time policy
// (consent, chosen channels, quiet hours, national holidays, the weekly
// marketing cap).
package messaging

import (
	"strings"

	"github.com/torquehq/torque/domain/errs"
)

// Validation codes of this package.
const (
	CodeRequired           = "required"
	CodeUnknownValue       = "unknown_value"
	CodeUnknownPlaceholder = "unknown_placeholder"
	CodeInvalidFormat      = "invalid_format"
	CodeTooLong            = "too_long"
)

// Kind is what a message is about.
type Kind struct{ s string }

// Kinds of message (API.md "Communication").
var (
	KindOrderStatus = Kind{"order_status"}
	KindQuote       = Kind{"quote"}
	KindThankYou    = Kind{"thank_you"}
	KindReminder    = Kind{"reminder"}
	KindCampaign    = Kind{"campaign"}
	KindTicket      = Kind{"ticket"}
)

// Kinds lists every kind in API order.
var Kinds = []Kind{KindOrderStatus, KindQuote, KindThankYou, KindReminder, KindCampaign, KindTicket}

// ParseKind parses a kind name; errors are on field.
func ParseKind(field, s string) (Kind, error) {
	s = strings.TrimSpace(s)
	for _, k := range Kinds {
		if k.s == s {
			return k, nil
		}
	}
	if s == "" {
		return Kind{}, errs.Invalid(field, CodeRequired, field+" is required")
	}
	return Kind{}, errs.Invalid(field, CodeUnknownValue, field+" must be one of order_status, quote, thank_you, reminder, campaign, ticket")
}

// String returns the stable name.
func (k Kind) String() string { return k.s }

// IsZero reports an unset kind.
func (k Kind) IsZero() bool { return k.s == "" }

// Purpose is the consent purpose a kind needs: marketing for campaigns,
// service messages for everything else (a reminder of preventive
// maintenance is part of the service relationship).
func (k Kind) Purpose() Purpose {
	if k == KindCampaign {
		return PurposeMarketing
	}
	return PurposeService
}

// Purpose is what consent a message needs.
type Purpose struct{ s string }

// Purposes, named as the customer's consents name them.
var (
	PurposeService   = Purpose{"service_messages"}
	PurposeMarketing = Purpose{"marketing"}
)

// ParsePurpose parses a stored purpose.
func ParsePurpose(s string) (Purpose, error) {
	switch s {
	case PurposeService.s:
		return PurposeService, nil
	case PurposeMarketing.s:
		return PurposeMarketing, nil
	}
	return Purpose{}, errs.Invalid("purpose", CodeUnknownValue, "purpose must be service_messages or marketing")
}

// String returns the stable name.
func (p Purpose) String() string { return p.s }

// Channel is a means of delivery.
type Channel struct{ s string }

// Channels.
var (
	ChannelEmail    = Channel{"email"}
	ChannelWhatsApp = Channel{"whatsapp"}
	ChannelSMS      = Channel{"sms"}
)

// Channels lists every channel.
var Channels = []Channel{ChannelWhatsApp, ChannelEmail, ChannelSMS}

// ParseChannel parses a channel name; errors are on field.
func ParseChannel(field, s string) (Channel, error) {
	s = strings.TrimSpace(s)
	for _, c := range Channels {
		if c.s == s {
			return c, nil
		}
	}
	if s == "" {
		return Channel{}, errs.Invalid(field, CodeRequired, field+" is required")
	}
	return Channel{}, errs.Invalid(field, CodeUnknownValue, field+" must be one of whatsapp, email, sms")
}

// String returns the stable name.
func (c Channel) String() string { return c.s }

// IsZero reports an unset channel.
func (c Channel) IsZero() bool { return c.s == "" }

// Status is where a message is in its life:
//
//	queued → sent → delivered → read
//	queued → failed | skipped
//
// A provider may report failed after sent.
type Status struct{ s string }

// Statuses.
var (
	StatusQueued    = Status{"queued"}
	StatusSent      = Status{"sent"}
	StatusDelivered = Status{"delivered"}
	StatusRead      = Status{"read"}
	StatusFailed    = Status{"failed"}
	StatusSkipped   = Status{"skipped"}
)

// Statuses lists every status.
var Statuses = []Status{StatusQueued, StatusSent, StatusDelivered, StatusRead, StatusFailed, StatusSkipped}

// ParseStatus parses a status name; errors are on field.
func ParseStatus(field, s string) (Status, error) {
	for _, st := range Statuses {
		if st.s == s {
			return st, nil
		}
	}
	return Status{}, errs.Invalid(field, CodeUnknownValue, field+" must be one of queued, sent, delivered, read, failed, skipped")
}

// String returns the stable name.
func (s Status) String() string { return s.s }

// Rank orders the provider-reported progress so that statuses arriving out
// of order never move a message back: queued 0, sent 1, delivered 2, read 3.
// failed ranks 2 (it can follow sent, never delivered or read); skipped is
// final.
func (s Status) Rank() int {
	switch s {
	case StatusSent:
		return 1
	case StatusDelivered, StatusFailed:
		return 2
	case StatusRead:
		return 3
	case StatusSkipped:
		return 9
	}
	return 0
}

// Advances reports whether a provider's report of next should replace the
// current status: only forward moves (read after delivered, never sent
// after read), and failed only before delivery.
func Advances(current, next Status) bool {
	if current == StatusSkipped {
		return false
	}
	if next == StatusFailed {
		return current == StatusQueued || current == StatusSent
	}
	if current == StatusFailed {
		return false
	}
	return next.Rank() > current.Rank()
}

// Reasons a message was skipped or deferred (API.md: "skipped names its
// reason").
const (
	ReasonNoConsent    = "no_consent"
	ReasonNoContact    = "no_contact"
	ReasonOptedOut     = "opted_out"
	ReasonCap          = "weekly_cap"
	ReasonQuietHours   = "quiet_hours"
	ReasonHoliday      = "holiday"
	ReasonNoChannel    = "no_chosen_channel"
	ReasonErased       = "customer_erased"
	ReasonUnknown      = "outcome_unknown"
	ReasonProviderFail = "provider_error"
)
