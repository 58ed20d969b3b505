package billing

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// WebhookProvider names the billing provider in the webhook ledger.
const WebhookProvider = "stripe"

// HandleBillingEvent applies a verified billing webhook event once. Events of
// unknown workshops or unhandled types are acknowledged and ignored, so the
// provider stops retrying them.
//
// The event is applied first and recorded in the ledger only after the
// workshop's change is stored: a crash or a failure in between leaves it
// unrecorded, the answer is an error (5xx) and the provider's retry applies
// it again. Applying is idempotent (NextStatus of a state that already holds
// the event changes nothing), so a redelivery, or two deliveries at once,
// change the workshop at most once. Recording first (as before) lost the
// event when the process died between the two steps.
func (u *UseCases) HandleBillingEvent(ctx context.Context, ev WebhookEvent) (applied bool, err error) {
	if !IsHandledEventType(ev.Type) {
		return false, nil
	}
	ws, err := u.workshopOfEvent(ctx, ev)
	if errors.Is(err, errs.ErrNotFound) {
		u.Logger.WarnContext(ctx, "billing event for an unknown workshop", "event_id", ev.ID, "type", ev.Type)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	wctx := usecase.InOwnTenant(ctx, ws.ID)
	res, err := u.workshops.Update(wctx, ws.ID, func(w *workshop.Workshop) error {
		applied = false // a retried update starts over
		cur := toBillingState(w.Billing())
		next, changed := NextStatus(cur, ev)
		if !changed {
			return nil
		}
		applied = true
		return w.UpdateBilling(fromBillingState(next), ev.Type)
	}, eventsourcing.RetryOnConflict())
	if err != nil {
		return false, err
	}
	u.Await(wctx, res)
	first, err := u.d.Webhooks.FirstTime(ctx, WebhookProvider, ev.ID, ev.Type)
	if err != nil {
		// Applied but not recorded: the provider retries, and the retry
		// changes nothing.
		return false, err
	}
	return applied && first, nil
}

func (u *UseCases) workshopOfEvent(ctx context.Context, ev WebhookEvent) (workshops.WorkshopView, error) {
	if id, err := uuid.Parse(ev.WorkshopID); err == nil {
		return u.d.Workshops.WorkshopByID(ctx, id)
	}
	if ev.CustomerID != "" {
		return u.d.Workshops.WorkshopByBillingCustomer(ctx, ev.CustomerID)
	}
	return workshops.WorkshopView{}, fmt.Errorf("billing event names no workshop: %w", errs.ErrNotFound)
}

func toBillingState(b workshop.BillingState) WorkshopBillingState {
	st, _ := ParseStatus(b.Status)
	sub, _ := ParseStatus(b.SubscriptionStatus)
	plan, _ := ParsePlan(b.Plan)
	return WorkshopBillingState{Status: st, SubscriptionStatus: sub, CustomerID: b.CustomerID,
		SubscriptionID: b.SubscriptionID, Plan: plan, CurrentPeriodEnd: b.CurrentPeriodEnd, LastEventAt: b.LastEventAt}
}

func fromBillingState(b WorkshopBillingState) workshop.BillingState {
	return workshop.BillingState{Status: b.Status.String(), SubscriptionStatus: b.SubscriptionStatus.String(),
		CustomerID: b.CustomerID, SubscriptionID: b.SubscriptionID, Plan: b.Plan.String(),
		CurrentPeriodEnd: b.CurrentPeriodEnd, LastEventAt: b.LastEventAt}
}
