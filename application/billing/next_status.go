package billing

import "time"

// NextStatus decides how a workshop's billing state moves when a verified
// webhook event arrives, and reports whether anything changed (false for
// duplicates, stale events and types it does not handle, so the caller can
// skip the write). It is pure: the caller loads the state, calls NextStatus
// and stores the result in one transaction, together with the event id it
// has processed.
//
// The provider delivers at least once and in no particular order, so the
// rules lean on the event's Created time, not on arrival:
//
//   - Events without a subscription id are ignored (one-off invoices, and
//     checkouts not in subscription mode).
//   - An event is stale, and ignored, when it is older than LastEventAt: a
//     late "updated: active" must not undo a newer "payment failed".
//     Events with the same Created second are applied in arrival order;
//     Stripe's timestamps have no finer resolution.
//   - A canceled subscription is terminal: customer.subscription.deleted (or
//     a snapshot saying canceled / incomplete_expired) applies even when it
//     is older than LastEventAt, and once canceled no event of that
//     subscription changes anything again.
//   - Subscription snapshots (customer.subscription.created/updated/deleted)
//     are authoritative and always advance LastEventAt. Their status maps
//     trialing→trialing, active→active, past_due/unpaid/paused→past_due,
//     canceled/incomplete_expired→canceled; incomplete (first payment still
//     pending) leaves the status alone.
//   - invoice.payment_failed → past_due; invoice.paid → active, except that
//     it does not end a trial (a trial starts with a paid zero-amount
//     invoice; the provider reports the trial's end with
//     customer.subscription.updated). Invoice events advance LastEventAt only
//     when they move the status, so a no-op invoice never makes the
//     subscription snapshot it accompanies look stale.
//   - checkout.session.completed records the customer and subscription ids;
//     it moves the status only when it carries the subscription's status.
//   - suspended is an operator's decision: webhooks keep SubscriptionStatus
//     and the other fields current but never change Status away from it.
//   - Events of a subscription other than the one followed are ignored,
//     unless the followed one is canceled and the event is not older than
//     LastEventAt: the workshop subscribed again.
//
// WARNING: the last rule means a workshop that starts a second subscription
// while the first is still live keeps following the first one. The signup
// and billing flows must send a subscribed workshop to the billing portal,
// never to a second checkout.
func NextStatus(cur WorkshopBillingState, ev WebhookEvent) (WorkshopBillingState, bool) {
	if !IsHandledEventType(ev.Type) || ev.SubscriptionID == "" {
		return cur, false
	}

	next := cur
	if cur.SubscriptionID != "" && cur.SubscriptionID != ev.SubscriptionID {
		if cur.SubscriptionStatus != StatusCanceled || ev.Created.Before(cur.LastEventAt) {
			return cur, false
		}
		// The followed subscription is over and this one is newer: follow it.
		next.SubscriptionStatus = Status{}
		next.CurrentPeriodEnd = time.Time{}
		next.LastEventAt = time.Time{}
	} else if cur.SubscriptionStatus == StatusCanceled {
		return cur, false
	}

	effect := effectOf(next, ev)
	if !effect.terminal && effect.ordered && ev.Created.Before(next.LastEventAt) {
		return cur, false
	}

	next.SubscriptionID = ev.SubscriptionID
	if ev.CustomerID != "" {
		next.CustomerID = ev.CustomerID
	}
	if effect.ordered {
		// Plan and period come from the event's snapshot; an unordered event
		// (checkout without status) might be older than what we hold.
		if p, err := ParsePlan(ev.Plan); err == nil {
			next.Plan = p
		}
		if !ev.CurrentPeriodEnd.IsZero() {
			next.CurrentPeriodEnd = ev.CurrentPeriodEnd
		}
	}
	if effect.hasStatus {
		next.SubscriptionStatus = effect.status
		if cur.Status != StatusSuspended {
			next.Status = effect.status
		}
	}
	if effect.advances && ev.Created.After(next.LastEventAt) {
		next.LastEventAt = ev.Created
	}
	return next, !next.Equal(cur)
}

// eventEffect is what one event would do to the state, before ordering.
type eventEffect struct {
	status    Status
	hasStatus bool // the event sets the status
	ordered   bool // the event is subject to the staleness check
	advances  bool // applying the event moves LastEventAt forward
	terminal  bool // the event says the subscription is over: never stale
}

func effectOf(cur WorkshopBillingState, ev WebhookEvent) eventEffect {
	switch ev.Type {
	case EventCustomerSubscriptionCreated, EventCustomerSubscriptionUpdated:
		st, ok := mapSubscriptionStatus(ev.SubscriptionStatus)
		return eventEffect{status: st, hasStatus: ok, ordered: true, advances: true, terminal: st == StatusCanceled}
	case EventCustomerSubscriptionDeleted:
		return eventEffect{status: StatusCanceled, hasStatus: true, ordered: true, advances: true, terminal: true}
	case EventCheckoutSessionCompleted:
		st, ok := mapSubscriptionStatus(ev.SubscriptionStatus)
		return eventEffect{status: st, hasStatus: ok, ordered: ok, advances: ok, terminal: st == StatusCanceled}
	case EventInvoicePaymentFailed:
		moves := billingStatus(cur) != StatusPastDue
		return eventEffect{status: StatusPastDue, hasStatus: moves, ordered: true, advances: moves}
	case EventInvoicePaid:
		now := billingStatus(cur)
		moves := now != StatusActive && now != StatusTrialing
		return eventEffect{status: StatusActive, hasStatus: moves, ordered: true, advances: moves}
	default:
		return eventEffect{}
	}
}

// billingStatus is the provider's view of the followed subscription, or,
// before any event reported it, the status the workshop was created in.
func billingStatus(s WorkshopBillingState) Status {
	if !s.SubscriptionStatus.IsZero() || s.Status == StatusSuspended {
		return s.SubscriptionStatus
	}
	return s.Status
}

// mapSubscriptionStatus maps a provider subscription status to ours; ok is
// false for statuses that say nothing yet (incomplete) or that we do not know.
func mapSubscriptionStatus(s string) (Status, bool) {
	switch s {
	case "trialing":
		return StatusTrialing, true
	case "active":
		return StatusActive, true
	case "past_due", "unpaid":
		return StatusPastDue, true
	case "paused":
		// A trial that ended without a payment method, with the pause
		// behaviour: nobody is paying, so treat it like a failed payment.
		return StatusPastDue, true
	case "canceled", "incomplete_expired":
		return StatusCanceled, true
	default:
		return Status{}, false
	}
}
