package serviceorders

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
)

// GetServiceOrder returns one order. Orders hold no personal data (the
// customer is named by id only), so nothing is audited.
func (u *UseCases) GetServiceOrder(ctx context.Context, id uuid.UUID) (ServiceOrder, error) {
	if _, err := authz.Require(ctx, authz.ReadServiceOrder); err != nil {
		return ServiceOrder{}, err
	}
	return u.d.Orders.ServiceOrder(ctx, id)
}
