package readmodel

import (
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/maintenance"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/infrastructure/projection"
)

var _ projection.Projection = MaintenanceProjection{}

// MaintenanceProjection keeps the inputs of the maintenance prediction
// (maintenance_vehicles, maintenance_readings, maintenance_orders,
// maintenance_services_done) and the reminders' statuses
// (maintenance_reminders). Each input change marks the vehicle dirty; the
// reminders worker then recomputes its maintenance_due rows in Go
// (PostgresMaintenanceStore.RecomputeDirty), because the prediction is
// domain code. A rebuild re-marks every vehicle that has inputs.
type MaintenanceProjection struct{}

// MaintenanceProjectionName is the projection's stable name.
const MaintenanceProjectionName = "maintenance"

// Name implements projection.Projection.
func (MaintenanceProjection) Name() string { return MaintenanceProjectionName }

// Handles implements projection.Projection.
func (MaintenanceProjection) Handles() []string {
	return append(es.Names(maintenance.Events), es.NamesOf(
		vehicle.Registered{}, vehicle.Transferred{}, vehicle.MileageRecorded{}, vehicle.OdometerReplaced{},
		serviceorder.Opened{}, serviceorder.ItemAdded{}, serviceorder.ItemRemoved{}, serviceorder.StatusChanged{},
	)...)
}

// Reset implements projection.Projection.
func (MaintenanceProjection) Reset(b *pgx.Batch) {
	for _, t := range []string{"maintenance_reminders", "maintenance_due", "maintenance_services_done",
		"maintenance_orders", "maintenance_readings", "maintenance_vehicles"} {
		b.Queue(`DELETE FROM ` + t)
	}
}

const markVehicleDirtySQL = `
INSERT INTO maintenance_vehicles (tenant_id, vehicle_id, dirty_gen) VALUES ($1, $2, 1)
ON CONFLICT (tenant_id, vehicle_id) DO UPDATE SET dirty_gen = maintenance_vehicles.dirty_gen + 1`

const markOrderVehicleDirtySQL = `
INSERT INTO maintenance_vehicles (tenant_id, vehicle_id, dirty_gen)
SELECT tenant_id, vehicle_id, 1 FROM maintenance_orders WHERE tenant_id = $1 AND order_id = $2
ON CONFLICT (tenant_id, vehicle_id) DO UPDATE SET dirty_gen = maintenance_vehicles.dirty_gen + 1`

// Apply implements projection.Projection.
func (MaintenanceProjection) Apply(b *pgx.Batch, e eventsourcing.Recorded) error {
	t, id := e.Tenant.UUID(), e.Stream.ID
	switch ev := e.Event.(type) {
	case vehicle.Registered:
		b.Queue(`INSERT INTO maintenance_vehicles (tenant_id, vehicle_id, customer_id) VALUES ($1, $2, $3)
		         ON CONFLICT (tenant_id, vehicle_id) DO UPDATE SET customer_id = EXCLUDED.customer_id`, t, id, ev.CustomerID)
	case vehicle.Transferred:
		b.Queue(`INSERT INTO maintenance_vehicles (tenant_id, vehicle_id, customer_id) VALUES ($1, $2, $3)
		         ON CONFLICT (tenant_id, vehicle_id) DO UPDATE SET customer_id = EXCLUDED.customer_id`, t, id, ev.CustomerID)
		b.Queue(`UPDATE maintenance_due SET customer_id = $3 WHERE tenant_id = $1 AND vehicle_id = $2`, t, id, ev.CustomerID)
	case vehicle.OdometerReplaced:
		b.Queue(`INSERT INTO maintenance_vehicles (tenant_id, vehicle_id, replaced_pending) VALUES ($1, $2, true)
		         ON CONFLICT (tenant_id, vehicle_id) DO UPDATE SET replaced_pending = true`, t, id)
	case vehicle.MileageRecorded:
		b.Queue(`INSERT INTO maintenance_readings (tenant_id, vehicle_id, source_id, version, km, read_at, new_odometer)
		         VALUES ($1, $2, $2, $3, $4, $5, COALESCE((SELECT replaced_pending FROM maintenance_vehicles
		                                                  WHERE tenant_id = $1 AND vehicle_id = $2), false))
		         ON CONFLICT DO NOTHING`, t, id, e.Version, ev.Km, ev.ReadAt)
		b.Queue(`UPDATE maintenance_vehicles SET replaced_pending = false WHERE tenant_id = $1 AND vehicle_id = $2`, t, id)
		b.Queue(markVehicleDirtySQL, t, id)
	case serviceorder.Opened:
		var km *int64
		if ev.HasMileage {
			km = &ev.MileageKm
		}
		b.Queue(`INSERT INTO maintenance_orders (tenant_id, order_id, vehicle_id, opened_at, km)
		         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, t, id, ev.VehicleID, ev.OpenedAt, km)
		for _, it := range ev.Items {
			queueServiceDone(b, t, id, ev.VehicleID, it)
		}
		b.Queue(markVehicleDirtySQL, t, ev.VehicleID)
	case serviceorder.ItemAdded:
		b.Queue(`INSERT INTO maintenance_services_done (tenant_id, order_id, line, vehicle_id, service)
		         SELECT tenant_id, order_id, $3, vehicle_id, $4 FROM maintenance_orders
		          WHERE tenant_id = $1 AND order_id = $2 AND $4 <> ''
		         ON CONFLICT DO NOTHING`, t, id, ev.Item.Line, ev.Item.Service)
		b.Queue(markOrderVehicleDirtySQL, t, id)
	case serviceorder.ItemRemoved:
		b.Queue(`DELETE FROM maintenance_services_done WHERE tenant_id = $1 AND order_id = $2 AND line = $3`, t, id, ev.Line)
		b.Queue(markOrderVehicleDirtySQL, t, id)
	case serviceorder.StatusChanged:
		cancelled := ev.To == serviceorder.StatusCancelled.String()
		b.Queue(`UPDATE maintenance_orders SET cancelled = $3 WHERE tenant_id = $1 AND order_id = $2 AND cancelled <> $3`,
			t, id, cancelled)
		b.Queue(markOrderVehicleDirtySQL, t, id)
	case maintenance.ReminderDue:
		b.Queue(`INSERT INTO maintenance_reminders (tenant_id, reminder_id, vehicle_id, customer_id, service, cycle, status,
		                                           due, due_at, frequency, due_recorded_at, updated_at)
		         VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', true, $7, $8, $9, $9)
		         ON CONFLICT (tenant_id, reminder_id) DO UPDATE SET due = true, due_at = EXCLUDED.due_at,
		             frequency = EXCLUDED.frequency, due_recorded_at = EXCLUDED.due_recorded_at`,
			t, id, ev.VehicleID, nullUUID(ev.CustomerID), ev.Service, ev.Cycle, ev.DueAt, ev.Frequency, ev.At)
	case maintenance.ReminderSent:
		b.Queue(`UPDATE maintenance_reminders SET status = 'sent', sent_at = $3, channel = $4, updated_at = $3
		         WHERE tenant_id = $1 AND reminder_id = $2`, t, id, ev.At, ev.Channel)
	case maintenance.ReminderConverted:
		b.Queue(`UPDATE maintenance_reminders SET status = 'booked', order_id = $3, converted_at = $4, updated_at = $4
		         WHERE tenant_id = $1 AND reminder_id = $2`, t, id, ev.OrderID, ev.At)
	case maintenance.ReminderDismissed:
		b.Queue(`INSERT INTO maintenance_reminders (tenant_id, reminder_id, vehicle_id, customer_id, service, cycle, status, updated_at)
		         VALUES ($1, $2, $3, $4, $5, $6, 'dismissed', $7)
		         ON CONFLICT (tenant_id, reminder_id) DO UPDATE SET status = 'dismissed', updated_at = EXCLUDED.updated_at`,
			t, id, ev.VehicleID, nullUUID(ev.CustomerID), ev.Service, ev.Cycle, ev.At)
	}
	return nil
}

func queueServiceDone(b *pgx.Batch, t, orderID, vehicleID uuid.UUID, it serviceorder.LineItem) {
	if it.Service == "" {
		return
	}
	b.Queue(`INSERT INTO maintenance_services_done (tenant_id, order_id, line, vehicle_id, service)
	         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, t, orderID, it.Line, vehicleID, it.Service)
}

func nullUUID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}
