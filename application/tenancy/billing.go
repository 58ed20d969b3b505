package tenancy

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/billing"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// WebhookProvider names the billing provider in the webhook ledger.
const WebhookProvider = "stripe"

// HandleBillingEvent applies a verified billing webhook event once. Events of
// unknown workshops or unhandled types are acknowledged and ignored, so the
// provider stops retrying them.
func (s *Service) HandleBillingEvent(ctx context.Context, ev billing.WebhookEvent) (applied bool, err error) {
	if !billing.IsHandledEventType(ev.Type) {
		return false, nil
	}
	first, err := s.d.Webhooks.FirstTime(ctx, WebhookProvider, ev.ID, ev.Type)
	if err != nil {
		return false, err
	}
	if !first {
		return false, nil
	}
	defer func() {
		if err != nil {
			// Let the provider's retry run the event again.
			_ = s.d.Webhooks.Forget(context.WithoutCancel(ctx), WebhookProvider, ev.ID)
		}
	}()
	ws, err := s.workshopOfEvent(ctx, ev)
	if errors.Is(err, errs.ErrNotFound) {
		s.d.Logger.WarnContext(ctx, "billing event for an unknown workshop", "event_id", ev.ID, "type", ev.Type)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	wctx := inTenant(ctx, ws.ID)
	res, err := s.workshops.Update(wctx, ws.ID, func(w *workshop.Workshop) error {
		cur := toBillingState(w.Billing())
		next, changed := billing.NextStatus(cur, ev)
		if !changed {
			return nil
		}
		applied = true
		return w.UpdateBilling(fromBillingState(next), ev.Type)
	}, eventsourcingRetry())
	if err != nil {
		return false, err
	}
	s.await(wctx, res)
	return applied, nil
}

func (s *Service) workshopOfEvent(ctx context.Context, ev billing.WebhookEvent) (WorkshopView, error) {
	if id, err := uuid.Parse(ev.WorkshopID); err == nil {
		return s.d.Registry.WorkshopByID(ctx, id)
	}
	if ev.CustomerID != "" {
		return s.d.Registry.WorkshopByBillingCustomer(ctx, ev.CustomerID)
	}
	return WorkshopView{}, fmt.Errorf("billing event names no workshop: %w", errs.ErrNotFound)
}

func toBillingState(b workshop.BillingState) billing.WorkshopBillingState {
	st, _ := billing.ParseStatus(b.Status)
	sub, _ := billing.ParseStatus(b.SubscriptionStatus)
	plan, _ := billing.ParsePlan(b.Plan)
	return billing.WorkshopBillingState{Status: st, SubscriptionStatus: sub, CustomerID: b.CustomerID,
		SubscriptionID: b.SubscriptionID, Plan: plan, CurrentPeriodEnd: b.CurrentPeriodEnd, LastEventAt: b.LastEventAt}
}

func fromBillingState(b billing.WorkshopBillingState) workshop.BillingState {
	return workshop.BillingState{Status: b.Status.String(), SubscriptionStatus: b.SubscriptionStatus.String(),
		CustomerID: b.CustomerID, SubscriptionID: b.SubscriptionID, Plan: b.Plan.String(),
		CurrentPeriodEnd: b.CurrentPeriodEnd, LastEventAt: b.LastEventAt}
}

// BillingPortal returns a billing-portal link for the owner.
func (s *Service) BillingPortal(ctx context.Context) (string, error) {
	p, err := authz.Require(ctx, authz.ManageBilling)
	if err != nil {
		return "", err
	}
	ws, err := s.d.Registry.WorkshopByID(ctx, p.Tenant.UUID())
	if err != nil {
		return "", err
	}
	if ws.BillingCustomerID == "" {
		return "", errs.Invalid("billing", "not_linked", "the workshop has no billing account yet; start a checkout first")
	}
	return s.d.Billing.CreatePortalSession(ctx, ws.BillingCustomerID, strings.TrimRight(s.cfg.PublicURL, "/")+"/app/settings")
}

// Checkout starts (again) a subscription checkout for the owner. A workshop
// that already follows a live subscription is sent to the portal instead.
func (s *Service) Checkout(ctx context.Context) (string, error) {
	p, err := authz.Require(ctx, authz.ManageBilling)
	if err != nil {
		return "", err
	}
	ws, err := s.d.Registry.WorkshopByID(ctx, p.Tenant.UUID())
	if err != nil {
		return "", err
	}
	if ws.SubscriptionID != "" && ws.Status != workshop.StatusCanceled.String() {
		return s.BillingPortal(ctx)
	}
	return s.startCheckout(ctx, ws.ID, ws.Name, identityOf(p), ws.Plan, ws.BillingCustomerID)
}
