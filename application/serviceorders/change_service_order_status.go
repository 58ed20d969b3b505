package serviceorders

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/serviceorder"
)

// ChangeStatusInput is POST .../service-orders/{id}/status.
type ChangeStatusInput struct {
	OrderID uuid.UUID
	// Status is in_progress, completed, delivered, cancelled (or quoted,
	// approved from the portal's quote flow).
	Status string
	// Note is an optional message for the customer.
	Note string
	// ExpectedVersion is the If-Match version (nil: none).
	ExpectedVersion *int64
}

// ChangeServiceOrderStatus moves the order along its life cycle. An
// illegal move wraps errs.ErrIllegalTransition (*serviceorder.TransitionError);
// an unknown status is a validation error on "status".
func (u *UseCases) ChangeServiceOrderStatus(ctx context.Context, in ChangeStatusInput) (ServiceOrder, error) {
	if _, err := authz.Require(ctx, authz.ChangeOrderStatus); err != nil {
		return ServiceOrder{}, err
	}
	now := u.base.Now()
	var after *serviceorder.ServiceOrder
	res, err := u.orders.Update(ctx, in.OrderID, func(o *serviceorder.ServiceOrder) error {
		if err := o.ChangeStatus(in.Status, in.Note, now); err != nil {
			return err
		}
		after = o
		return nil
	}, usecase.UpdateOptions(in.ExpectedVersion)...)
	if err != nil {
		return ServiceOrder{}, err
	}
	u.base.Await(ctx, res)
	return fromAggregate(after, res.ToVersion), nil
}
