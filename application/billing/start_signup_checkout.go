package billing

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/identity"
)

// SignupCheckoutInput is a workshop that has just signed up.
type SignupCheckoutInput struct {
	WorkshopID   uuid.UUID
	WorkshopName string
	// Owner pays: the provider's customer is made out to them.
	Owner identity.Identity
	// Plan is the wire name of the plan chosen at signup.
	Plan string
}

// StartSignupCheckout creates the provider's customer of a new workshop and
// its first subscription checkout, and returns the checkout URL. ctx must be
// in the workshop's tenant.
func (u *UseCases) StartSignupCheckout(ctx context.Context, in SignupCheckoutInput) (string, error) {
	return u.checkout(ctx, in.WorkshopID, in.WorkshopName, in.Owner, in.Plan, "")
}
