// Package billing holds the subscription side of Torque: the plans a workshop
// can buy, the driven ports to the payment provider (Stripe in production,
// stripe-mock in tests), the pure rules that move a workshop's billing
// status when the provider's webhooks arrive, in whatever order they arrive,
// and the use cases: checkout, billing portal and webhook handling.
package billing

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
)

// Plan is a subscription plan. The zero value is "no plan"; build one with
// ParsePlan or use the PlanXxx values so nobody can write Plan("anything").
type Plan struct{ s string }

// The plans on sale. Their names are stable: they appear in the signup API,
// in configuration (one price id per plan) and in stored billing state.
var (
	PlanBasic     = Plan{"basic"}
	PlanPro       = Plan{"pro"}
	PlanFranchise = Plan{"franchise"}
)

// Plans lists every plan on sale, cheapest first.
func Plans() []Plan { return []Plan{PlanBasic, PlanPro, PlanFranchise} }

// ParsePlan turns the wire name of a plan into a Plan. An unknown name is a
// validation error on the field "plan" with code "unknown_plan".
func ParsePlan(s string) (Plan, error) {
	for _, p := range Plans() {
		if p.s == s {
			return p, nil
		}
	}
	return Plan{}, errs.Invalid("plan", "unknown_plan", "plan must be one of basic, pro, franchise")
}

// String returns the wire name of the plan ("" for the zero value).
func (p Plan) String() string { return p.s }

// IsZero reports whether p is the zero value (no plan).
func (p Plan) IsZero() bool { return p.s == "" }

// CustomerInput describes the paying party of one workshop.
type CustomerInput struct {
	// WorkshopID is the tenant id; it is stored on the provider's customer and
	// keys the idempotency of the call.
	WorkshopID string
	// WorkshopName is the name invoices are made out to.
	WorkshopName string
	// Email receives invoices and receipts (the owner's address at signup).
	Email string
	// Name is the contact person (the owner at signup).
	Name string
}

// CheckoutInput describes a hosted checkout that starts a subscription.
type CheckoutInput struct {
	// CustomerID is the provider's customer, from Gateway.CreateCustomer.
	CustomerID string
	// WorkshopID is the tenant id; webhooks carry it back.
	WorkshopID string
	// Plan selects the price (one configured price per plan).
	Plan Plan
	// TrialDays is the length of the free trial; 0 means no trial.
	TrialDays int
	// SuccessURL and CancelURL are where the provider sends the browser back.
	SuccessURL, CancelURL string
}

// CheckoutSession is a started hosted checkout.
type CheckoutSession struct {
	// ID is the provider's session id.
	ID string
	// URL is the page the owner must open to enter a payment method.
	URL string
}

// Gateway is the driven port to the payment provider's API.
//
// Every method takes ctx first; a cancelled ctx aborts the call but, as with
// any remote call, does not prove that the provider did not act on it.
type Gateway interface {
	// CreateCustomer creates the provider's customer for a workshop and returns
	// its id. It is safe to retry: calls for the same WorkshopID within the
	// provider's idempotency window (24 hours for Stripe) return the same
	// customer instead of creating a second one, so a retried signup is
	// harmless. A retry with different details for the same workshop inside
	// that window fails instead of silently keeping the first details.
	CreateCustomer(ctx context.Context, in CustomerInput) (customerID string, err error)

	// CreateCheckout starts a subscription-mode hosted checkout for in.Plan
	// with a trial of in.TrialDays days. The session and the subscription it
	// creates carry the workshop id (client reference and metadata) so that
	// webhooks can be matched to the workshop. Retrying with identical input
	// within the idempotency window returns the same session.
	CreateCheckout(ctx context.Context, in CheckoutInput) (CheckoutSession, error)

	// CreatePortalSession opens a billing-portal session where the customer
	// manages payment methods, plan and cancellation, and returns its URL.
	// Each call creates a fresh, short-lived session.
	CreatePortalSession(ctx context.Context, customerID, returnURL string) (url string, err error)
}

// Webhook event types that move a workshop's billing state. Other types still
// parse (WebhookEvent.Type set, the other fields empty) so the caller can
// acknowledge and ignore them.
const (
	EventCheckoutSessionCompleted    = "checkout.session.completed"
	EventCustomerSubscriptionCreated = "customer.subscription.created"
	EventCustomerSubscriptionUpdated = "customer.subscription.updated"
	EventCustomerSubscriptionDeleted = "customer.subscription.deleted"
	EventInvoicePaid                 = "invoice.paid"
	EventInvoicePaymentFailed        = "invoice.payment_failed"
)

// HandledEventTypes lists the event types NextStatus acts on, e.g. to
// configure the provider's webhook endpoint.
func HandledEventTypes() []string {
	return []string{
		EventCheckoutSessionCompleted,
		EventCustomerSubscriptionCreated,
		EventCustomerSubscriptionUpdated,
		EventCustomerSubscriptionDeleted,
		EventInvoicePaid,
		EventInvoicePaymentFailed,
	}
}

// IsHandledEventType reports whether NextStatus acts on events of type t.
func IsHandledEventType(t string) bool {
	for _, h := range HandledEventTypes() {
		if h == t {
			return true
		}
	}
	return false
}

// WebhookEvent is a verified provider event, normalised to what billing needs.
// Fields the event does not carry are left empty.
type WebhookEvent struct {
	// ID is the provider's event id; the caller records it to process each
	// event once (the provider delivers at least once).
	ID string
	// Type is the provider's event type, e.g. EventInvoicePaid.
	Type string
	// Created is when the provider created the event (whole seconds). It is
	// the ordering key NextStatus uses; delivery order means nothing.
	Created time.Time
	// WorkshopID comes from the metadata or client reference we attached at
	// checkout, when the event carries it.
	WorkshopID string
	// CustomerID is the provider's customer id.
	CustomerID string
	// SubscriptionID is the provider's subscription id.
	SubscriptionID string
	// SubscriptionStatus is the provider's subscription status when the event
	// carries the subscription: trialing, active, past_due, canceled, unpaid,
	// incomplete, incomplete_expired, paused.
	SubscriptionStatus string
	// CurrentPeriodEnd is the end of the period paid for (or of the trial).
	CurrentPeriodEnd time.Time
	// Plan is the wire name of the plan (see ParsePlan) when the event names a
	// price configured for one of our plans; empty otherwise.
	Plan string
}

// ErrBadSignature: a webhook's signature header is missing, malformed, made
// with another secret, does not match the body, or is older than the
// tolerance. The HTTP adapter answers 400 and does not process the body.
var ErrBadSignature = errors.New("billing: bad webhook signature")

// ErrMalformedEvent: a correctly signed webhook whose body is not an event we
// can read. Retrying will not help; the HTTP adapter answers 400.
var ErrMalformedEvent = errors.New("billing: malformed webhook event")

// WebhookVerifier is the driven port that authenticates and decodes webhooks.
type WebhookVerifier interface {
	// Verify checks signatureHeader (Stripe-Signature) against the raw request
	// body payload and decodes the event. Errors wrap ErrBadSignature or
	// ErrMalformedEvent. Verify is pure apart from reading the clock for the
	// timestamp tolerance; it is safe for concurrent use.
	Verify(payload []byte, signatureHeader string) (WebhookEvent, error)
}

// Workshops reads the workshops read model.
type Workshops interface {
	// WorkshopByID returns errs.ErrNotFound for an unknown id.
	WorkshopByID(ctx context.Context, id uuid.UUID) (workshops.WorkshopView, error)
	// WorkshopByBillingCustomer finds the workshop of a provider's customer
	// id, or errs.ErrNotFound.
	WorkshopByBillingCustomer(ctx context.Context, customerID string) (workshops.WorkshopView, error)
}

// WebhookLedger remembers processed webhook deliveries, so that an event the
// provider delivers twice is applied once.
type WebhookLedger interface {
	// FirstTime records the event and reports whether it was new.
	FirstTime(ctx context.Context, provider, eventID, eventType string) (bool, error)
	// Forget removes a record after processing failed, so a retry runs again.
	Forget(ctx context.Context, provider, eventID string) error
}
