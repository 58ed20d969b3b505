package serviceorders

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/errs"
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
// Everything is validated before anything is stored. The reading is stored
// before the order: should the order then fail, what remains is a true
// odometer reading, never an order whose mileage the vehicle lacks.
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
	if err := u.checkOrderParties(ctx, customerID, vehicleID); err != nil {
		return ServiceOrder{}, err
	}

	var results []eventsourcing.AppendResult
	if km, ok := draft.MileageKm(); ok {
		res, err := u.vehicles.Update(ctx, vehicleID, func(v *vehicle.Vehicle) error {
			if v.CustomerID() != customerID {
				return errs.Invalid(serviceorder.FieldVehicleID, CodeNotOwned, "the vehicle does not belong to this customer")
			}
			return v.RecordMileage(km, now, vehicle.SourceServiceOrder.String(), in.OdometerReplaced)
		}, eventsourcing.RetryOnConflict())
		if err != nil {
			return ServiceOrder{}, err
		}
		results = append(results, res)
	}

	var order *serviceorder.ServiceOrder
	res, err := u.d.Numbers.AppendNumbered(ctx, Sequence,
		eventsourcing.StreamRef{Type: serviceorder.StreamType, ID: id}, 0,
		func(number int64) ([]es.Event, error) {
			o, err := serviceorder.Open(id, number, in.Order, cat, now)
			if err != nil {
				return nil, err
			}
			order = o
			return o.Recorder().PopEvents(), nil
		})
	if err != nil {
		return ServiceOrder{}, err
	}
	results = append(results, res)
	u.base.Await(ctx, results...)
	return fromAggregate(order, res.ToVersion), nil
}
