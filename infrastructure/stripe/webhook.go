package stripe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/torquehq/torque/application/billing"
)

// StripeWebhookVerifier implements billing.WebhookVerifier for Stripe's
// signed webhooks (the Stripe-Signature header).
type StripeWebhookVerifier struct {
	secret    string
	tolerance time.Duration
	planOf    map[string]string // price id → plan wire name
}

var _ billing.WebhookVerifier = (*StripeWebhookVerifier)(nil)

// NewStripeWebhookVerifier builds a verifier from the same Config as the gateway.
func NewStripeWebhookVerifier(cfg Config) (*StripeWebhookVerifier, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	planOf := make(map[string]string, len(cfg.PriceIDs))
	for plan, price := range cfg.PriceIDs {
		planOf[price] = plan
	}
	return &StripeWebhookVerifier{secret: cfg.WebhookSecret, tolerance: cfg.WebhookTolerance, planOf: planOf}, nil
}

// Verify implements billing.WebhookVerifier.
//
// The event's data object is decoded with our own small structs rather than
// stripe-go's: we accept events of any API version (the endpoint's version
// may differ from the one stripe-go v76 was generated for), and fields moved
// between versions (current_period_end to the subscription items, an
// invoice's subscription to parent.subscription_details) are read from
// either place.
func (v *StripeWebhookVerifier) Verify(payload []byte, signatureHeader string) (billing.WebhookEvent, error) {
	e, err := webhook.ConstructEventWithOptions(payload, signatureHeader, v.secret, webhook.ConstructEventOptions{
		Tolerance: v.tolerance,
		// Test payloads, and endpoints pinned to another version, carry a
		// different api_version; our decoding does not depend on it.
		IgnoreAPIVersionMismatch: true,
	})
	if err != nil {
		if isSignatureError(err) {
			return billing.WebhookEvent{}, fmt.Errorf("%w: %w", billing.ErrBadSignature, err)
		}
		// The signature was good (stripe-go checks it before decoding).
		return billing.WebhookEvent{}, fmt.Errorf("%w: %w", billing.ErrMalformedEvent, err)
	}
	if e.ID == "" || e.Type == "" || e.Created <= 0 {
		return billing.WebhookEvent{}, fmt.Errorf("%w: event without id, type or created", billing.ErrMalformedEvent)
	}
	out := billing.WebhookEvent{ID: e.ID, Type: string(e.Type), Created: unixTime(e.Created)}
	if !billing.IsHandledEventType(out.Type) {
		return out, nil
	}
	if e.Data == nil || len(e.Data.Raw) == 0 || bytes.Equal(bytes.TrimSpace(e.Data.Raw), []byte("null")) {
		return billing.WebhookEvent{}, fmt.Errorf("%w: event %s has no data.object", billing.ErrMalformedEvent, e.ID)
	}
	switch out.Type {
	case billing.EventCheckoutSessionCompleted:
		err = v.decodeCheckoutSession(e.Data.Raw, &out)
	case billing.EventCustomerSubscriptionCreated, billing.EventCustomerSubscriptionUpdated, billing.EventCustomerSubscriptionDeleted:
		var s subscriptionObject
		if err = json.Unmarshal(e.Data.Raw, &s); err == nil {
			v.fillFromSubscription(s, &out)
		}
	case billing.EventInvoicePaid, billing.EventInvoicePaymentFailed:
		err = v.decodeInvoice(e.Data.Raw, &out)
	}
	if err != nil {
		return billing.WebhookEvent{}, fmt.Errorf("%w: event %s (%s): %w", billing.ErrMalformedEvent, e.ID, e.Type, err)
	}
	return out, nil
}

// isSignatureError reports whether err is one of stripe-go's signature
// failures: missing or unparsable header, no matching signature (wrong
// secret or tampered body), or a timestamp outside the tolerance.
func isSignatureError(err error) bool {
	return errors.Is(err, webhook.ErrNotSigned) ||
		errors.Is(err, webhook.ErrInvalidHeader) ||
		errors.Is(err, webhook.ErrNoValidSignature) ||
		errors.Is(err, webhook.ErrTooOld)
}

func (v *StripeWebhookVerifier) fillFromSubscription(s subscriptionObject, out *billing.WebhookEvent) {
	out.SubscriptionID = s.ID
	out.SubscriptionStatus = s.Status
	out.CustomerID = s.Customer.ID
	if out.WorkshopID == "" {
		out.WorkshopID = s.Metadata[metaWorkshopID]
	}
	end := s.CurrentPeriodEnd
	var prices []string
	for _, it := range s.Items.Data {
		prices = append(prices, it.Price.ID, it.Plan.ID)
		// Since API version 2025-03-31 the period lives on each item.
		end = max(end, it.CurrentPeriodEnd)
	}
	out.CurrentPeriodEnd = unixTime(end)
	out.Plan = v.planFor(prices)
}

func (v *StripeWebhookVerifier) decodeCheckoutSession(raw json.RawMessage, out *billing.WebhookEvent) error {
	var cs checkoutSessionObject
	if err := json.Unmarshal(raw, &cs); err != nil {
		return err
	}
	if len(cs.Subscription.Object) > 0 {
		// The subscription was expanded: its status is known.
		var s subscriptionObject
		if err := json.Unmarshal(cs.Subscription.Object, &s); err != nil {
			return err
		}
		v.fillFromSubscription(s, out)
	}
	out.SubscriptionID = cs.Subscription.ID
	if cs.Customer.ID != "" {
		out.CustomerID = cs.Customer.ID
	}
	out.WorkshopID = firstNonEmpty(cs.Metadata[metaWorkshopID], cs.ClientReferenceID, out.WorkshopID)
	return nil
}

func (v *StripeWebhookVerifier) decodeInvoice(raw json.RawMessage, out *billing.WebhookEvent) error {
	var in invoiceObject
	if err := json.Unmarshal(raw, &in); err != nil {
		return err
	}
	out.CustomerID = in.Customer.ID
	out.SubscriptionID = in.Subscription.ID
	workshop := in.Metadata[metaWorkshopID]
	if d := in.SubscriptionDetails; d != nil && workshop == "" {
		workshop = d.Metadata[metaWorkshopID]
	}
	if p := in.Parent; p != nil && p.SubscriptionDetails != nil {
		// API version 2025-03-31 and later.
		if out.SubscriptionID == "" {
			out.SubscriptionID = p.SubscriptionDetails.Subscription.ID
		}
		if workshop == "" {
			workshop = p.SubscriptionDetails.Metadata[metaWorkshopID]
		}
	}
	var prices []string
	var end int64
	for _, l := range in.Lines.Data {
		if workshop == "" {
			// Subscription lines carry the subscription's metadata.
			workshop = l.Metadata[metaWorkshopID]
		}
		if l.Proration || (l.Parent != nil && l.Parent.SubscriptionItemDetails != nil && l.Parent.SubscriptionItemDetails.Proration) {
			// Proration lines mention the plan being left as well as the
			// new one; only the regular lines say what is being paid for.
			continue
		}
		prices = append(prices, l.Price.ID, l.Plan.ID)
		if l.Pricing != nil && l.Pricing.PriceDetails != nil {
			prices = append(prices, l.Pricing.PriceDetails.Price.ID)
		}
		end = max(end, l.Period.End)
	}
	out.WorkshopID = workshop
	out.CurrentPeriodEnd = unixTime(end)
	out.Plan = v.planFor(prices)
	return nil
}

// planFor maps the prices an object mentions to one of our plans; empty when
// none is ours or when they name different plans.
func (v *StripeWebhookVerifier) planFor(prices []string) string {
	plan := ""
	for _, p := range prices {
		name, ok := v.planOf[p]
		if !ok || p == "" {
			continue
		}
		if plan != "" && plan != name {
			return ""
		}
		plan = name
	}
	return plan
}

func unixTime(sec int64) time.Time {
	if sec <= 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// The parts of Stripe objects we read, valid across API versions.

type subscriptionObject struct {
	ID               string            `json:"id"`
	Status           string            `json:"status"`
	Customer         ref               `json:"customer"`
	Metadata         map[string]string `json:"metadata"`
	CurrentPeriodEnd int64             `json:"current_period_end"`
	Items            struct {
		Data []struct {
			Price            ref   `json:"price"`
			Plan             ref   `json:"plan"`
			CurrentPeriodEnd int64 `json:"current_period_end"`
		} `json:"data"`
	} `json:"items"`
}

type checkoutSessionObject struct {
	ClientReferenceID string            `json:"client_reference_id"`
	Customer          ref               `json:"customer"`
	Subscription      ref               `json:"subscription"`
	Metadata          map[string]string `json:"metadata"`
}

type invoiceObject struct {
	Customer            ref               `json:"customer"`
	Subscription        ref               `json:"subscription"`
	Metadata            map[string]string `json:"metadata"`
	SubscriptionDetails *struct {
		Metadata map[string]string `json:"metadata"`
	} `json:"subscription_details"`
	Parent *struct {
		SubscriptionDetails *struct {
			Subscription ref               `json:"subscription"`
			Metadata     map[string]string `json:"metadata"`
		} `json:"subscription_details"`
	} `json:"parent"`
	Lines struct {
		Data []struct {
			Proration bool              `json:"proration"`
			Metadata  map[string]string `json:"metadata"`
			Parent    *struct {
				SubscriptionItemDetails *struct {
					Proration bool `json:"proration"`
				} `json:"subscription_item_details"`
			} `json:"parent"`
			Price   ref `json:"price"`
			Plan    ref `json:"plan"`
			Pricing *struct {
				PriceDetails *struct {
					Price ref `json:"price"`
				} `json:"price_details"`
			} `json:"pricing"`
			Period struct {
				End int64 `json:"end"`
			} `json:"period"`
		} `json:"data"`
	} `json:"lines"`
}

// ref is an expandable Stripe field: either an id string or the object.
type ref struct {
	ID     string
	Object json.RawMessage // set when the field was expanded
}

func (r *ref) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		return nil
	case b[0] == '"':
		return json.Unmarshal(b, &r.ID)
	default:
		var o struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		r.ID = o.ID
		r.Object = append(json.RawMessage(nil), b...)
		return nil
	}
}
