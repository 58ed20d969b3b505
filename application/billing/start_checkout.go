package billing

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/domain/workshop"
)

// StartCheckout starts (again) a subscription checkout for the owner and
// returns its URL. A workshop that already follows a live subscription is
// sent to the billing portal instead: a second subscription would not be
// followed (see NextStatus).
func (u *UseCases) StartCheckout(ctx context.Context) (string, error) {
	p, ws, err := u.ownWorkshop(ctx)
	if err != nil {
		return "", err
	}
	if ws.SubscriptionID != "" && ws.Status != workshop.StatusCanceled.String() {
		return u.OpenBillingPortal(ctx)
	}
	return u.checkout(ctx, ws.ID, ws.Name, identity.Identity{ID: p.IdentityID, Email: p.Email, Name: p.Name}, ws.Plan,
		ws.BillingCustomerID)
}

// checkout creates the provider's customer when the workshop has none yet
// (and links it to the workshop), then a checkout session for plan.
func (u *UseCases) checkout(ctx context.Context, id uuid.UUID, name string, owner identity.Identity, plan, customerID string) (string, error) {
	p, err := ParsePlan(plan)
	if err != nil {
		return "", err
	}
	if customerID == "" {
		if customerID, err = u.d.Gateway.CreateCustomer(ctx, CustomerInput{WorkshopID: id.String(), WorkshopName: name,
			Email: owner.Email, Name: owner.Name}); err != nil {
			return "", err
		}
		res, err := u.workshops.Update(ctx, id, func(w *workshop.Workshop) error { w.LinkBilling(customerID); return nil },
			eventsourcing.RetryOnConflict())
		if err != nil {
			return "", err
		}
		u.Await(ctx, res)
	}
	base := strings.TrimRight(u.d.PublicURL, "/")
	sess, err := u.d.Gateway.CreateCheckout(ctx, CheckoutInput{CustomerID: customerID, WorkshopID: id.String(),
		Plan: p, TrialDays: u.d.TrialDays, SuccessURL: base + "/app/billing/success", CancelURL: base + "/app/billing/canceled"})
	if err != nil {
		return "", err
	}
	return sess.URL, nil
}
