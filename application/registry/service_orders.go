package registry

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/br"
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
func (s *Service) OpenServiceOrder(ctx context.Context, in OpenServiceOrderInput) (ServiceOrder, error) {
	if _, err := authz.Require(ctx, authz.OpenServiceOrder); err != nil {
		return ServiceOrder{}, err
	}
	cat, err := s.catalog(ctx)
	if err != nil {
		return ServiceOrder{}, err
	}
	now := s.now()
	id := s.d.NewID()
	// Validate the input with a provisional number before taking a real one.
	draft, err := serviceorder.Open(id, 1, in.Order, cat, now)
	if err != nil {
		return ServiceOrder{}, err
	}
	customerID, vehicleID := draft.CustomerID(), draft.VehicleID()
	if err := s.checkOrderParties(ctx, customerID, vehicleID); err != nil {
		return ServiceOrder{}, err
	}

	var results []eventsourcing.AppendResult
	if km, ok := draft.MileageKm(); ok {
		res, err := s.vehicles.Update(ctx, vehicleID, func(v *vehicle.Vehicle) error {
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
	res, err := s.d.Numbers.AppendNumbered(ctx, ServiceOrderSequence,
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
	s.await(ctx, results...)
	return orderFromAggregate(order, res.ToVersion), nil
}

// checkOrderParties checks, on the event store, that the customer exists
// and the vehicle is theirs.
func (s *Service) checkOrderParties(ctx context.Context, customerID, vehicleID uuid.UUID) error {
	var col errs.Collector
	ok, err := s.customerAlive(ctx, customerID)
	if err != nil {
		return err
	}
	if !ok {
		col.Add(serviceorder.FieldCustomerID, CodeNotFound, "no such customer in this workshop")
	}
	v, err := s.vehicles.Load(ctx, vehicleID)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		col.Add(serviceorder.FieldVehicleID, CodeNotFound, "no such vehicle in this workshop")
	case err != nil:
		return err
	case ok && v.CustomerID() != customerID:
		col.Add(serviceorder.FieldVehicleID, CodeNotOwned, "the vehicle does not belong to this customer")
	}
	return col.Err()
}

func orderFromAggregate(o *serviceorder.ServiceOrder, version int64) ServiceOrder {
	out := ServiceOrder{
		ID: o.ID(), Number: o.Number(), Status: o.Status().String(), CustomerID: o.CustomerID(), VehicleID: o.VehicleID(),
		Description: o.Description(), TotalCents: o.TotalCents(), MechanicID: o.MechanicID(),
		OpenedAt: o.OpenedAt(), UpdatedAt: o.OpenedAt(), Version: version, Items: []OrderItem{},
	}
	if km, ok := o.MileageKm(); ok {
		out.MileageKm = &km
	}
	for _, it := range o.Items() {
		out.Items = append(out.Items, OrderItem{Line: it.Line, Service: it.Service, Description: it.Description,
			Quantity: it.Quantity, UnitPriceCents: it.UnitPriceCents, TotalCents: it.TotalCents})
	}
	for _, h := range o.StatusHistory() {
		out.StatusHistory = append(out.StatusHistory, StatusChange{From: h.From.String(), To: h.To.String(), Note: h.Note, At: h.At})
		out.UpdatedAt = h.At
	}
	return out
}

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
func (s *Service) ChangeServiceOrderStatus(ctx context.Context, in ChangeStatusInput) (ServiceOrder, error) {
	if _, err := authz.Require(ctx, authz.ChangeOrderStatus); err != nil {
		return ServiceOrder{}, err
	}
	now := s.now()
	var after *serviceorder.ServiceOrder
	res, err := s.orders.Update(ctx, in.OrderID, func(o *serviceorder.ServiceOrder) error {
		if err := o.ChangeStatus(in.Status, in.Note, now); err != nil {
			return err
		}
		after = o
		return nil
	}, updateOptions(in.ExpectedVersion)...)
	if err != nil {
		return ServiceOrder{}, err
	}
	s.await(ctx, res)
	return orderFromAggregate(after, res.ToVersion), nil
}

// GetServiceOrder returns one order. Orders hold no personal data (the
// customer is named by id only), so nothing is audited.
func (s *Service) GetServiceOrder(ctx context.Context, id uuid.UUID) (ServiceOrder, error) {
	if _, err := authz.Require(ctx, authz.ReadServiceOrder); err != nil {
		return ServiceOrder{}, err
	}
	return s.d.Orders.ServiceOrder(ctx, id)
}

// ListServiceOrdersInput is GET .../service-orders?status=&customer_id=&vehicle_id=.
type ListServiceOrdersInput struct {
	Status     string
	CustomerID string
	VehicleID  string
	Page       PageRequest
}

const cursorOrders = "o"

// ListServiceOrders lists orders, newest (highest number) first, filtered
// by status, customer and vehicle.
func (s *Service) ListServiceOrders(ctx context.Context, in ListServiceOrdersInput) (Page[ServiceOrder], error) {
	if _, err := authz.Require(ctx, authz.ReadServiceOrder); err != nil {
		return Page[ServiceOrder]{}, err
	}
	var col errs.Collector
	var f OrderFilter
	if in.Status != "" {
		st, err := serviceorder.ParseStatus(in.Status)
		addFieldErrors(&col, err)
		f.Status = st.String()
	}
	f.CustomerID = optionalID(&col, serviceorder.FieldCustomerID, in.CustomerID)
	f.VehicleID = optionalID(&col, serviceorder.FieldVehicleID, in.VehicleID)
	limit, err := limitOf(in.Page)
	if err != nil {
		return Page[ServiceOrder]{}, err
	}
	before, err := numberCursor(cursorOrders, in.Page.Cursor)
	if err != nil {
		return Page[ServiceOrder]{}, err
	}
	if err := col.Err(); err != nil {
		return Page[ServiceOrder]{}, err
	}
	orders, err := s.d.Orders.ServiceOrders(ctx, f, before, limit+1)
	if err != nil {
		return Page[ServiceOrder]{}, err
	}
	return pageOf(orders, limit, cursorOrders, func(o ServiceOrder) string { return fmt.Sprint(o.Number) }), nil
}

// addFieldErrors copies the fields of a *errs.ValidationError into col.
func addFieldErrors(col *errs.Collector, err error) {
	var ve *errs.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			col.Add(f.Field, f.Code, f.Message)
		}
	}
}

func optionalID(col *errs.Collector, field, s string) uuid.UUID {
	if s == "" {
		return uuid.Nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		col.Add(field, br.CodeInvalidFormat, field+" must be a UUID")
		return uuid.Nil
	}
	return id
}
