package billing

import (
	"time"

	"github.com/torquehq/torque/domain/errs"
)

// Status is a workshop's billing status. The zero value means "not known yet".
type Status struct{ s string }

// The billing statuses a workshop can be in.
var (
	// StatusTrialing: in the free trial; fully usable.
	StatusTrialing = Status{"trialing"}
	// StatusActive: paying; fully usable.
	StatusActive = Status{"active"}
	// StatusPastDue: a payment failed and the provider is retrying.
	StatusPastDue = Status{"past_due"}
	// StatusCanceled: the subscription ended; the workshop is read-only.
	StatusCanceled = Status{"canceled"}
	// StatusSuspended: set by an operator, never by a webhook; webhooks do not lift it.
	StatusSuspended = Status{"suspended"}
)

// ParseStatus turns the stored name of a status into a Status.
func ParseStatus(s string) (Status, error) {
	for _, st := range []Status{StatusTrialing, StatusActive, StatusPastDue, StatusCanceled, StatusSuspended} {
		if st.s == s {
			return st, nil
		}
	}
	return Status{}, errs.Invalid("status", "unknown_status", "unknown billing status")
}

// String returns the stored name of the status ("" for the zero value).
func (s Status) String() string { return s.s }

// IsZero reports whether s is the zero value (not known yet).
func (s Status) IsZero() bool { return s.s == "" }

// WorkshopBillingState is what Torque keeps about one workshop's subscription.
// NextStatus is the only thing that changes it in response to webhooks.
type WorkshopBillingState struct {
	// Status is the workshop's status, what the rest of Torque looks at. It
	// follows SubscriptionStatus except while an operator has suspended the
	// workshop.
	Status Status
	// SubscriptionStatus is the provider's view of SubscriptionID, mapped to
	// our statuses (never suspended); zero until an event reports it. When an
	// operator lifts a suspension this is the status to return to.
	SubscriptionStatus Status
	// CustomerID is the provider's customer id.
	CustomerID string
	// SubscriptionID is the provider's subscription the state follows.
	SubscriptionID string
	// Plan is the plan last reported for the subscription.
	Plan Plan
	// CurrentPeriodEnd is the end of the paid period (or of the trial).
	CurrentPeriodEnd time.Time
	// LastEventAt is the Created time of the last applied event that moved,
	// or reported, the subscription's status. Older events are stale.
	LastEventAt time.Time
}

// Equal reports whether s and o hold the same state (times compared as instants).
func (s WorkshopBillingState) Equal(o WorkshopBillingState) bool {
	return s.Status == o.Status &&
		s.SubscriptionStatus == o.SubscriptionStatus &&
		s.CustomerID == o.CustomerID &&
		s.SubscriptionID == o.SubscriptionID &&
		s.Plan == o.Plan &&
		s.CurrentPeriodEnd.Equal(o.CurrentPeriodEnd) &&
		s.LastEventAt.Equal(o.LastEventAt)
}
