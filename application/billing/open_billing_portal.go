package billing

import (
	"context"
	"strings"

	"github.com/torquehq/torque/domain/errs"
)

// OpenBillingPortal returns a billing-portal link for the owner, who comes
// back to the workshop settings.
func (u *UseCases) OpenBillingPortal(ctx context.Context) (string, error) {
	_, ws, err := u.ownWorkshop(ctx)
	if err != nil {
		return "", err
	}
	if ws.BillingCustomerID == "" {
		return "", errs.Invalid("billing", "not_linked", "the workshop has no billing account yet; start a checkout first")
	}
	return u.d.Gateway.CreatePortalSession(ctx, ws.BillingCustomerID, strings.TrimRight(u.d.PublicURL, "/")+"/app/settings")
}
