package customers

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/vehicles"
)

// CustomerHistoryInput is GET .../customers/{id}/history.
type CustomerHistoryInput struct {
	CustomerID uuid.UUID
	Page       pagination.Request
}

const cursorHistory = "h"

// CustomerHistory lists the customer's service orders, newest first, each
// with its vehicle (id and plate) and items. A car owner (portal) lists the
// history of the records they act for.
func (u *UseCases) CustomerHistory(ctx context.Context, in CustomerHistoryInput) (pagination.Page[HistoryEntry], error) {
	p, err := authz.RequireOnCustomer(ctx, authz.ReadCustomer, in.CustomerID)
	if err != nil {
		return pagination.Page[HistoryEntry]{}, err
	}
	limit, err := in.Page.Size()
	if err != nil {
		return pagination.Page[HistoryEntry]{}, err
	}
	before, err := pagination.NumberCursor(cursorHistory, in.Page.Cursor)
	if err != nil {
		return pagination.Page[HistoryEntry]{}, err
	}
	if _, err := ReadActive(ctx, u.d.Customers, in.CustomerID, false); err != nil {
		return pagination.Page[HistoryEntry]{}, err
	}
	orders, err := u.d.Orders.ServiceOrders(ctx, serviceorders.Filter{CustomerID: in.CustomerID}, before, limit+1)
	if err != nil {
		return pagination.Page[HistoryEntry]{}, err
	}
	page := pagination.Cut(orders, limit, cursorHistory,
		func(o serviceorders.ServiceOrder) string { return fmt.Sprint(o.Number) })
	byID, err := u.d.Vehicles.VehiclesByID(ctx, vehicleIDs(page.Items))
	if err != nil {
		return pagination.Page[HistoryEntry]{}, err
	}
	out := pagination.Page[HistoryEntry]{Items: make([]HistoryEntry, 0, len(page.Items)), NextCursor: page.NextCursor}
	var rs auditlog.Reads
	for _, o := range page.Items {
		v := byID[o.VehicleID]
		vehicles.AddPlateReads(&rs, v)
		out.Items = append(out.Items, HistoryEntry{Order: o, Vehicle: VehicleRef{ID: o.VehicleID, Plate: v.Plate}})
	}
	if err := u.audit.Record(ctx, p, EndpointCustomerHistory, rs); err != nil {
		return pagination.Page[HistoryEntry]{}, err
	}
	return out, nil
}

// vehicleIDs lists the vehicles of orders, each once.
func vehicleIDs(orders []serviceorders.ServiceOrder) []uuid.UUID {
	seen := map[uuid.UUID]bool{}
	var out []uuid.UUID
	for _, o := range orders {
		if !seen[o.VehicleID] {
			seen[o.VehicleID] = true
			out = append(out, o.VehicleID)
		}
	}
	return out
}
