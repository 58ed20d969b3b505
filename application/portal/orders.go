package portal

import (
	"context"
	"fmt"
	"sort"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/domain/errs"
)

const cursorOrders = "o"

// ListOrdersInput is GET /api/v1/portal/{slug}/orders.
type ListOrdersInput struct {
	Page pagination.Request
	// VehicleID, when set, keeps the orders of that vehicle.
	VehicleID uuid.UUID
}

// ListOrders lists the service orders of the car owner's records, newest
// (highest number) first (authz.PortalRead).
func (u *UseCases) ListOrders(ctx context.Context, in ListOrdersInput) (pagination.Page[serviceorders.ServiceOrder], error) {
	p, _, err := owner(ctx, authz.PortalRead)
	if err != nil {
		return pagination.Page[serviceorders.ServiceOrder]{}, err
	}
	limit, err := in.Page.Size()
	if err != nil {
		return pagination.Page[serviceorders.ServiceOrder]{}, err
	}
	before, err := pagination.NumberCursor(cursorOrders, in.Page.Cursor)
	if err != nil {
		return pagination.Page[serviceorders.ServiceOrder]{}, err
	}
	var all []serviceorders.ServiceOrder
	for _, id := range p.CustomerIDs {
		os, err := u.d.Orders.ServiceOrders(ctx, serviceorders.Filter{CustomerID: id, VehicleID: in.VehicleID}, before, limit+1)
		if err != nil {
			return pagination.Page[serviceorders.ServiceOrder]{}, err
		}
		all = append(all, os...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Number > all[j].Number })
	return pagination.Cut(all, limit, cursorOrders, func(o serviceorders.ServiceOrder) string { return fmt.Sprint(o.Number) }), nil
}

// GetOrder returns one of the car owner's service orders (authz.PortalRead);
// any other order is errs.ErrNotFound.
func (u *UseCases) GetOrder(ctx context.Context, id uuid.UUID) (serviceorders.ServiceOrder, error) {
	p, _, err := owner(ctx, authz.PortalRead)
	if err != nil {
		return serviceorders.ServiceOrder{}, err
	}
	o, err := u.d.Orders.ServiceOrder(ctx, id)
	if err != nil {
		return serviceorders.ServiceOrder{}, err
	}
	if !p.ActsFor(o.CustomerID) {
		return serviceorders.ServiceOrder{}, fmt.Errorf("order %s is not the car owner's: %w", id, errs.ErrNotFound)
	}
	return o, nil
}
