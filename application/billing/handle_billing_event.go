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
func (u *UseCases) HandleBillingEvent(ctx context.Context, ev WebhookEvent) (applied bool, err error) {
	if !IsHandledEventType(ev.Type) {
		return false, nil
	}
	first, err := u.d.Webhooks.FirstTime(ctx, WebhookProvider, ev.ID, ev.Type)
	if err != nil {
		return false, err
	}
	if !first {
		return false, nil
	}
	defer func() {
		if err != nil {
			// Let the provider's retry run the event again.
			_ = u.d.Webhooks.Forget(usecase.Detached(ctx), WebhookProvider, ev.ID)
		}
	}()
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
	return applied, nil
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
