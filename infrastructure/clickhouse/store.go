package clickhouse

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// insert sends one batch per non-empty table. A failure leaves earlier tables
// written: the caller retries the whole page and the sorting keys make the
// repeated rows collapse.
func insert(ctx context.Context, conn driver.Conn, f *Facts) error {
	type table struct {
		sql  string
		n    int
		rows func(b driver.Batch) error
	}
	tables := []table{
		{"INSERT INTO service_items (workshop_id, order_id, line, version, event_id, removed, at, service, quantity, total_cents, customer_pid)",
			len(f.Items), func(b driver.Batch) error {
				for _, r := range f.Items {
					if err := b.Append(r.WorkshopID, r.OrderID, r.Line, r.Version, r.EventID, b2u(r.Removed), r.At.UTC(), r.Service,
						r.Quantity, r.TotalCents, r.CustomerPID); err != nil {
						return err
					}
				}
				return nil
			}},
		{"INSERT INTO orders (workshop_id, order_id, event_id, opened_at, customer_pid, vehicle_pid, mileage_km, has_mileage)",
			len(f.Orders), func(b driver.Batch) error {
				for _, r := range f.Orders {
					if err := b.Append(r.WorkshopID, r.OrderID, r.EventID, r.OpenedAt.UTC(), r.CustomerPID, r.VehiclePID, r.MileageKm,
						b2u(r.HasMileage)); err != nil {
						return err
					}
				}
				return nil
			}},
		{"INSERT INTO order_status_changes (workshop_id, order_id, version, event_id, from_status, to_status, at)",
			len(f.Statuses), func(b driver.Batch) error {
				for _, r := range f.Statuses {
					if err := b.Append(r.WorkshopID, r.OrderID, r.Version, r.EventID, r.From, r.To, r.At.UTC()); err != nil {
						return err
					}
				}
				return nil
			}},
		{"INSERT INTO order_mechanics (workshop_id, order_id, version, event_id, mechanic_pid, at)",
			len(f.Mechanics), func(b driver.Batch) error {
				for _, r := range f.Mechanics {
					if err := b.Append(r.WorkshopID, r.OrderID, r.Version, r.EventID, r.MechanicPID, r.At.UTC()); err != nil {
						return err
					}
				}
				return nil
			}},
		{"INSERT INTO vehicles (workshop_id, vehicle_pid, version, event_id, make, model, year, at)",
			len(f.Vehicles), func(b driver.Batch) error {
				for _, r := range f.Vehicles {
					if err := b.Append(r.WorkshopID, r.VehiclePID, r.Version, r.EventID, r.Make, r.Model, r.Year, r.At.UTC()); err != nil {
						return err
					}
				}
				return nil
			}},
		{"INSERT INTO customers (workshop_id, customer_pid, event_id, registered_at)",
			len(f.Customers), func(b driver.Batch) error {
				for _, r := range f.Customers {
					if err := b.Append(r.WorkshopID, r.CustomerPID, r.EventID, r.RegisteredAt.UTC()); err != nil {
						return err
					}
				}
				return nil
			}},
		{"INSERT INTO feedback (workshop_id, event_id, order_id, customer_pid, mechanic_pid, service, nps, has_nps, csat, at)",
			len(f.Feedback), func(b driver.Batch) error {
				for _, r := range f.Feedback {
					if err := b.Append(r.WorkshopID, r.EventID, r.OrderID, r.CustomerPID, r.MechanicPID, r.Service, r.NPS,
						b2u(r.HasNPS), r.CSAT, r.At.UTC()); err != nil {
						return err
					}
				}
				return nil
			}},
		{"INSERT INTO reminders (workshop_id, event_id, reminder_id, kind, customer_pid, service, channel, at)",
			len(f.Reminders), func(b driver.Batch) error {
				for _, r := range f.Reminders {
					if err := b.Append(r.WorkshopID, r.EventID, r.ReminderID, r.Kind, r.CustomerPID, r.Service, r.Channel, r.At.UTC()); err != nil {
						return err
					}
				}
				return nil
			}},
		{"INSERT INTO appointments (workshop_id, event_id, appointment_id, kind, customer_pid, service, at)",
			len(f.Appointments), func(b driver.Batch) error {
				for _, r := range f.Appointments {
					if err := b.Append(r.WorkshopID, r.EventID, r.AppointmentID, r.Kind, r.CustomerPID, r.Service, r.At.UTC()); err != nil {
						return err
					}
				}
				return nil
			}},
		{"INSERT INTO messages (workshop_id, event_id, conversation_id, direction, channel, at)",
			len(f.Messages), func(b driver.Batch) error {
				for _, r := range f.Messages {
					if err := b.Append(r.WorkshopID, r.EventID, r.ConversationID, r.Direction, r.Channel, r.At.UTC()); err != nil {
						return err
					}
				}
				return nil
			}},
	}
	for _, t := range tables {
		if t.n == 0 {
			continue
		}
		b, err := conn.PrepareBatch(ctx, t.sql)
		if err != nil {
			return fmt.Errorf("analytics insert: %w", err)
		}
		if err := t.rows(b); err != nil {
			_ = b.Abort()
			return fmt.Errorf("analytics insert: %w", err)
		}
		if err := b.Send(); err != nil {
			return fmt.Errorf("analytics insert: %w", err)
		}
	}
	return nil
}

// Checkpoint is a position in the event topic: (transaction id, offset).
type Checkpoint struct {
	TransactionID uint64
	Offset        int64
}

func readCheckpoint(ctx context.Context, conn driver.Conn) (Checkpoint, error) {
	var c Checkpoint
	rows, err := conn.Query(ctx, "SELECT transaction_id, msg_offset FROM analytics_checkpoint ORDER BY transaction_id DESC, msg_offset DESC LIMIT 1")
	if err != nil {
		return c, err
	}
	defer func() { _ = rows.Close() }()
	if rows.Next() {
		if err := rows.Scan(&c.TransactionID, &c.Offset); err != nil {
			return c, err
		}
	}
	return c, rows.Err()
}

func writeCheckpoint(ctx context.Context, conn driver.Conn, c Checkpoint) error {
	return insertRow(ctx, conn, "INSERT INTO analytics_checkpoint (transaction_id, msg_offset, at)",
		c.TransactionID, c.Offset, time.Now().UTC())
}

// insertRow inserts one row as a one-row batch. (An INSERT ... VALUES with
// bound arguments through Exec never gets an answer from ClickHouse 18.16
// over the native protocol: always insert through batches.)
func insertRow(ctx context.Context, conn driver.Conn, insert string, values ...any) error {
	b, err := conn.PrepareBatch(ctx, insert)
	if err != nil {
		return err
	}
	if err := b.Append(values...); err != nil {
		_ = b.Abort()
		return err
	}
	return b.Send()
}

func truncateAll(ctx context.Context, conn driver.Conn) error {
	for _, t := range factTables {
		if err := conn.Exec(ctx, "TRUNCATE TABLE "+t); err != nil {
			return fmt.Errorf("truncate %s: %w", t, err)
		}
	}
	return nil
}
