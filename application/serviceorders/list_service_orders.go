package serviceorders

import (
	"context"
	"fmt"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
)

// ListServiceOrdersInput is GET .../service-orders?status=&customer_id=&vehicle_id=.
type ListServiceOrdersInput struct {
	Status     string
	CustomerID string
	VehicleID  string
	Page       pagination.Request
}

const cursorOrders = "o"

// ListServiceOrders lists orders, newest (highest number) first, filtered
// by status, customer and vehicle.
func (u *UseCases) ListServiceOrders(ctx context.Context, in ListServiceOrdersInput) (pagination.Page[ServiceOrder], error) {
	if _, err := authz.Require(ctx, authz.ReadServiceOrder); err != nil {
		return pagination.Page[ServiceOrder]{}, err
	}
	var col errs.Collector
	var f Filter
	if in.Status != "" {
		st, err := serviceorder.ParseStatus(in.Status)
		addFieldErrors(&col, err)
		f.Status = st.String()
	}
	f.CustomerID = optionalID(&col, serviceorder.FieldCustomerID, in.CustomerID)
	f.VehicleID = optionalID(&col, serviceorder.FieldVehicleID, in.VehicleID)
	limit, err := in.Page.Size()
	if err != nil {
		return pagination.Page[ServiceOrder]{}, err
	}
	before, err := pagination.NumberCursor(cursorOrders, in.Page.Cursor)
	if err != nil {
		return pagination.Page[ServiceOrder]{}, err
	}
	if err := col.Err(); err != nil {
		return pagination.Page[ServiceOrder]{}, err
	}
	orders, err := u.d.Orders.ServiceOrders(ctx, f, before, limit+1)
	if err != nil {
		return pagination.Page[ServiceOrder]{}, err
	}
	return pagination.Cut(orders, limit, cursorOrders, func(o ServiceOrder) string { return fmt.Sprint(o.Number) }), nil
}
