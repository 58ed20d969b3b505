package serviceorders

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
)

// OpenServiceOrderInput is POST .../service-orders.
type OpenServiceOrderInput struct {
	Order serviceorder.OpenInput
	// OdometerReplaced lets Order.MileageKm be below the vehicle's last
	// reading because the odometer was replaced or reset.
	OdometerReplaced bool
}

// OpenServiceOrder opens a service order with the workshop's next number
// (gapless, allocated in the append's own transaction) and records its
// mileage on the vehicle. A reading below the vehicle's last one is a
// validation error on mileage_km (odometer_rollback) unless
// OdometerReplaced; a customer or vehicle that does not exist here, or a
// vehicle of another customer, is a validation error on its field.
//
// Everything is validated before anything is stored, and the reading and
// the order are stored in one transaction (NumberedAppender.
// AppendNumberedWith): never an order whose mileage the vehicle lacks, nor a
// reading of an order that failed. Another writer of the vehicle in between
// makes the whole command run again.
func (u *UseCases) OpenServiceOrder(ctx context.Context, in OpenServiceOrderInput) (ServiceOrder, error) {
	if _, err := authz.Require(ctx, authz.OpenServiceOrder); err != nil {
		return ServiceOrder{}, err
	}
	cat, err := u.catalog(ctx)
	if err != nil {
		return ServiceOrder{}, err
	}
	now := u.base.Now()
	id := u.base.NewID()
	// Validate the input with a provisional number before taking a real one.
	draft, err := serviceorder.Open(id, 1, in.Order, cat, now)
	if err != nil {
		return ServiceOrder{}, err
	}
	customerID, vehicleID := draft.CustomerID(), draft.VehicleID()
	for attempt := 1; ; attempt++ {
		order, results, err := u.openOnce(ctx, in, cat, now, id, customerID, vehicleID, draft)
		if eventsourcing.IsVersionConflict(err) && attempt < openAttempts {
			continue // the vehicle changed since it was loaded: load it again
		}
		if err != nil {
			return ServiceOrder{}, err
		}
		u.base.Await(ctx, results...)
		return fromAggregate(order, results[len(results)-1].ToVersion), nil
	}
}

// openAttempts bounds the reruns of OpenServiceOrder when the vehicle's
// stream moved between its load and the append.
const openAttempts = 20

func (u *UseCases) openOnce(ctx context.Context, in OpenServiceOrderInput, cat catalog.Catalog, now time.Time, id, customerID, vehicleID uuid.UUID,
	draft *serviceorder.ServiceOrder) (*serviceorder.ServiceOrder, []eventsourcing.AppendResult, error) {
	v, err := u.checkOrderParties(ctx, customerID, vehicleID)
	if err != nil {
		return nil, nil, err
	}
	var with []eventsourcing.Pending
	if km, ok := draft.MileageKm(); ok {
		if err := v.RecordMileage(km, now, vehicle.SourceServiceOrder.String(), in.OdometerReplaced); err != nil {
			return nil, nil, err
		}
		if p := u.vehicles.Pending(vehicleID, v); len(p.Events) > 0 {
			with = append(with, p)
		}
	}
	var order *serviceorder.ServiceOrder
	results, err := u.d.Numbers.AppendNumberedWith(ctx, Sequence,
		eventsourcing.StreamRef{Type: serviceorder.StreamType, ID: id}, 0,
		func(number int64) ([]es.Event, error) {
			o, err := serviceorder.Open(id, number, in.Order, cat, now)
			if err != nil {
				return nil, err
			}
			order = o
			return o.Recorder().PopEvents(), nil
		}, with...)
	return order, results, err
}
