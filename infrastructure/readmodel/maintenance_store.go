package readmodel

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/reminders"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/maintenance"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var (
	_ reminders.DueStore     = (*PostgresMaintenanceStore)(nil)
	_ reminders.TenantRunner = (*PostgresMaintenanceStore)(nil)
)

// PostgresMaintenanceStore is the maintenance read model (see
// MaintenanceProjection) for the reminder use cases, and their per-workshop
// job lock (a session advisory lock).
type PostgresMaintenanceStore struct{ pool *pgxpool.Pool }

// NewMaintenanceStore returns the adapter on a pool of the runtime role.
func NewMaintenanceStore(pool *pgxpool.Pool) *PostgresMaintenanceStore {
	return &PostgresMaintenanceStore{pool: pool}
}

// Workshops implements reminders.TenantRunner: the workshops whose
// subscription lets them write (workshop.Status.Writable).
func (s *PostgresMaintenanceStore) Workshops(ctx context.Context) ([]uuid.UUID, error) {
	rows, err := s.pool.Query(ctx, `SELECT id FROM workshops WHERE status NOT IN ('canceled', 'suspended') ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
}

// Exclusively implements reminders.TenantRunner with a session advisory
// lock on one connection, released when fn returns (or with the session).
func (s *PostgresMaintenanceStore) Exclusively(ctx context.Context, name string, fn func(context.Context) error) (bool, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return false, err
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte("job:" + name + ":" + tid.String()))
	key := int64(h.Sum64() >> 1)
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Release()
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
		return false, err
	}
	if !got {
		return false, nil
	}
	defer func() {
		if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key); err != nil {
			conn.Conn().PgConn().Close(context.WithoutCancel(ctx)) //nolint:errcheck // closing drops the lock
		}
	}()
	return true, fn(ctx)
}

type dirtyVehicle struct {
	id       uuid.UUID
	customer *uuid.UUID
	gen      int64
}

// RecomputeDirty implements reminders.DueStore. The dirty rows are locked
// (SKIP LOCKED: concurrent workers share the work) until the new due
// points commit, so a projection update waits and marks the vehicle again.
func (s *PostgresMaintenanceStore) RecomputeDirty(ctx context.Context, limit int,
	predict func(reminders.History) []maintenance.Due) (int, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return 0, err
	}
	t := tid.UUID()
	n := 0
	err = postgres.InTenantTx(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT vehicle_id, customer_id, dirty_gen FROM maintenance_vehicles
		    WHERE tenant_id = $1 AND dirty_gen > computed_gen ORDER BY vehicle_id LIMIT $2 FOR UPDATE SKIP LOCKED`, t, limit)
		if err != nil {
			return err
		}
		dirty, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (dirtyVehicle, error) {
			var d dirtyVehicle
			return d, r.Scan(&d.id, &d.customer, &d.gen)
		})
		if err != nil || len(dirty) == 0 {
			return err
		}
		hist, err := loadHistories(ctx, tx, t, dirty)
		if err != nil {
			return err
		}
		ids := make([]uuid.UUID, len(dirty))
		gens := make([]int64, len(dirty))
		var due dueColumns
		for i, d := range dirty {
			ids[i], gens[i] = d.id, d.gen
			for _, p := range predict(*hist[d.id]) {
				due.add(d, p)
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM maintenance_due WHERE tenant_id = $1 AND vehicle_id = ANY($2)`, t, ids); err != nil {
			return err
		}
		// COPY is refused under row-level security: one INSERT of arrays.
		if _, err := tx.Exec(ctx, `INSERT INTO maintenance_due (tenant_id, vehicle_id, service, cycle, customer_id, due_at,
		        due_by, due_km, km_per_day, km_source, last_done_at, computed_at)
		    SELECT $1, u.* , now() FROM unnest($2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::date[], $7::text[],
		        $8::bigint[], $9::float8[], $10::text[], $11::timestamptz[]) AS u`,
			t, due.vehicle, due.service, due.cycle, due.customer, due.dueAt, due.by, due.km, due.rate, due.source,
			due.lastDone); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE maintenance_vehicles m SET computed_gen = u.gen
		    FROM unnest($2::uuid[], $3::bigint[]) AS u(id, gen) WHERE m.tenant_id = $1 AND m.vehicle_id = u.id`, t, ids, gens); err != nil {
			return err
		}
		n = len(dirty)
		return nil
	})
	return n, err
}

// dueColumns are maintenance_due rows as column arrays.
type dueColumns struct {
	vehicle        []uuid.UUID
	service, cycle []string
	customer       []pgtype.UUID
	dueAt          []string
	by, source     []string
	km             []pgtype.Int8
	rate           []float64
	lastDone       []time.Time
}

func (c *dueColumns) add(d dirtyVehicle, p maintenance.Due) {
	c.vehicle = append(c.vehicle, d.id)
	c.service = append(c.service, p.Service)
	c.cycle = append(c.cycle, p.Cycle)
	cust := pgtype.UUID{}
	if d.customer != nil {
		cust = pgtype.UUID{Bytes: *d.customer, Valid: true}
	}
	c.customer = append(c.customer, cust)
	c.dueAt = append(c.dueAt, p.DueAt.UTC().Format(time.DateOnly))
	c.by = append(c.by, string(p.By))
	c.km = append(c.km, pgtype.Int8{Int64: p.DueKm, Valid: p.HasDueKm})
	c.rate = append(c.rate, p.KmPerDay)
	c.source = append(c.source, string(p.Source))
	c.lastDone = append(c.lastDone, p.LastDoneAt)
}

// loadHistories reads the readings and services of the vehicles.
func loadHistories(ctx context.Context, tx pgx.Tx, t uuid.UUID, vs []dirtyVehicle) (map[uuid.UUID]*reminders.History, error) {
	out := make(map[uuid.UUID]*reminders.History, len(vs))
	ids := make([]uuid.UUID, len(vs))
	for i, v := range vs {
		ids[i] = v.id
		h := &reminders.History{VehicleID: v.id}
		if v.customer != nil {
			h.CustomerID = *v.customer
		}
		out[v.id] = h
	}
	rows, err := tx.Query(ctx, `SELECT vehicle_id, km, read_at, new_odometer FROM maintenance_readings
	    WHERE tenant_id = $1 AND vehicle_id = ANY($2)`, t, ids)
	if err != nil {
		return nil, err
	}
	var vid uuid.UUID
	var r maintenance.Reading
	if _, err := pgx.ForEachRow(rows, []any{&vid, &r.Km, &r.At, &r.NewOdometer}, func() error {
		out[vid].Readings = append(out[vid].Readings, r)
		return nil
	}); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT d.vehicle_id, d.service, d.order_id, d.line, o.opened_at, o.km
	    FROM maintenance_services_done d JOIN maintenance_orders o ON o.tenant_id = d.tenant_id AND o.order_id = d.order_id
	    WHERE d.tenant_id = $1 AND d.vehicle_id = ANY($2) AND NOT o.cancelled`, t, ids)
	if err != nil {
		return nil, err
	}
	var (
		sd    maintenance.ServiceDone
		order uuid.UUID
		line  int64
		km    *int64
	)
	_, err = pgx.ForEachRow(rows, []any{&vid, &sd.Service, &order, &line, &sd.At, &km}, func() error {
		d := sd
		d.Ref = fmt.Sprintf("%s/%d", order, line)
		if km != nil {
			d.Km, d.HasKm = *km, true
		}
		out[vid].Done = append(out[vid].Done, d)
		return nil
	})
	return out, err
}

// itemColumns are the columns scanItem reads, from maintenance_due d,
// maintenance_reminders r and registry_vehicles v.
const itemColumns = `d.vehicle_id, d.customer_id, d.service, d.cycle, d.due_at, d.due_km, d.km_per_day,
    COALESCE(r.status, 'scheduled'), COALESCE(v.make || ' ' || v.model || ' ' || v.year::text, '')`

const itemJoins = `
    LEFT JOIN maintenance_reminders r ON r.tenant_id = d.tenant_id AND r.vehicle_id = d.vehicle_id
                                     AND r.service = d.service AND r.cycle = d.cycle
    LEFT JOIN registry_vehicles v ON v.tenant_id = d.tenant_id AND v.vehicle_id = d.vehicle_id`

func scanItemInto(it *reminders.Item, extra ...any) []any {
	return append([]any{&it.VehicleID, nullableUUID{&it.CustomerID}, &it.Service, &it.Cycle, &it.DueAt,
		nullableKm{it}, &it.KmPerDay, (*string)(&it.Status), &it.Vehicle}, extra...)
}

// nullableUUID scans a NULL uuid as uuid.Nil.
type nullableUUID struct{ p *uuid.UUID }

func (n nullableUUID) Scan(src any) error {
	if src == nil {
		*n.p = uuid.Nil
		return nil
	}
	return n.p.Scan(src)
}

// nullableKm scans due_km into DueKm/HasDueKm.
type nullableKm struct{ it *reminders.Item }

func (n nullableKm) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		n.it.DueKm, n.it.HasDueKm = 0, false
	case int64:
		n.it.DueKm, n.it.HasDueKm = v, true
	default:
		return fmt.Errorf("due_km: unexpected %T", src)
	}
	return nil
}

func (s *PostgresMaintenanceStore) items(ctx context.Context, sql string, args ...any) ([]reminders.Item, error) {
	return collectTenant(ctx, tenantReads{pool: s.pool}, func(row pgx.CollectableRow) (reminders.Item, error) {
		var it reminders.Item
		return it, row.Scan(scanItemInto(&it)...)
	}, sql, args...)
}

// dateArg is the day of t as a date parameter ("" → NULL).
func dateArg(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	d := t.UTC().Format(time.DateOnly)
	return &d
}

// List implements reminders.DueStore.
func (s *PostgresMaintenanceStore) List(ctx context.Context, q reminders.ListQuery) ([]reminders.Item, error) {
	var before *string
	if !q.DueBefore.IsZero() {
		// due_at is a day: it is before the instant q.DueBefore when its
		// 00:00 is, i.e. day < the first day starting at or after it.
		d := q.DueBefore.UTC()
		day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		if day.Before(d) {
			day = day.AddDate(0, 0, 1)
		}
		before = dateArg(day)
	}
	var vehicle *uuid.UUID
	if q.VehicleID != uuid.Nil {
		vehicle = &q.VehicleID
	}
	var afterSet bool
	if !q.After.DueAt.IsZero() {
		afterSet = true
	}
	return s.items(ctx, `SELECT `+itemColumns+` FROM maintenance_due d`+itemJoins+`
	    WHERE d.tenant_id = $1 AND ($2::date IS NULL OR d.due_at < $2::date)
	      AND ($3::uuid IS NULL OR d.vehicle_id = $3)
	      AND (NOT $4 OR (d.due_at, d.vehicle_id, d.service) > ($5::date, $6::uuid, $7::text))
	    ORDER BY d.due_at, d.vehicle_id, d.service LIMIT $8`,
		before, vehicle, afterSet, dateArg(q.After.DueAt), q.After.VehicleID, q.After.Service, q.Limit)
}

// DueOf implements reminders.DueStore.
func (s *PostgresMaintenanceStore) DueOf(ctx context.Context, vehicleID uuid.UUID, service string) (reminders.Item, error) {
	items, err := s.items(ctx, `SELECT `+itemColumns+` FROM maintenance_due d`+itemJoins+`
	    WHERE d.tenant_id = $1 AND d.vehicle_id = $2 AND d.service = $3`, vehicleID, service)
	if err != nil {
		return reminders.Item{}, err
	}
	if len(items) == 0 {
		return reminders.Item{}, fmt.Errorf("due point of %s for vehicle %s: %w", service, vehicleID, errs.ErrNotFound)
	}
	return items[0], nil
}

// VehicleExists implements reminders.DueStore.
func (s *PostgresMaintenanceStore) VehicleExists(ctx context.Context, vehicleID uuid.UUID) (bool, error) {
	out, err := collectTenant(ctx, tenantReads{pool: s.pool}, pgx.RowTo[bool], `SELECT
	    EXISTS (SELECT 1 FROM registry_vehicles WHERE tenant_id = $1 AND vehicle_id = $2)
	 OR EXISTS (SELECT 1 FROM maintenance_vehicles WHERE tenant_id = $1 AND vehicle_id = $2)`, vehicleID)
	if err != nil {
		return false, err
	}
	return len(out) == 1 && out[0], nil
}

// Candidates implements reminders.DueStore.
func (s *PostgresMaintenanceStore) Candidates(ctx context.Context, from, before time.Time, limit int) ([]reminders.Candidate, error) {
	return collectTenant(ctx, tenantReads{pool: s.pool}, func(row pgx.CollectableRow) (reminders.Candidate, error) {
		var c reminders.Candidate
		return c, row.Scan(scanItemInto(&c.Item, &c.Frequency)...)
	}, `SELECT `+itemColumns+`, COALESCE(p.reminders, 'each_due') FROM maintenance_due d`+itemJoins+`
	    LEFT JOIN messaging_preferences p ON p.tenant_id = d.tenant_id AND p.customer_id = d.customer_id
	    WHERE d.tenant_id = $1 AND d.due_at >= $2::date AND d.due_at < $3::date AND d.customer_id IS NOT NULL
	      AND r.reminder_id IS NULL AND COALESCE(p.reminders, 'each_due') <> 'never'
	    ORDER BY d.due_at, d.vehicle_id, d.service LIMIT $4`, dateArg(from), dateArg(before), limit)
}

// Pending implements reminders.DueStore.
func (s *PostgresMaintenanceStore) Pending(ctx context.Context, limit int) ([]reminders.Pending, error) {
	return collectTenant(ctx, tenantReads{pool: s.pool}, func(row pgx.CollectableRow) (reminders.Pending, error) {
		var p reminders.Pending
		var dueKm *int64
		var vehicle string
		err := row.Scan(&p.ReminderID, &p.VehicleID, nullableUUID{&p.CustomerID}, &p.Service, &p.Cycle, &p.DueAt, &dueKm,
			&p.KmPerDay, &vehicle, &p.Frequency)
		if dueKm != nil {
			p.DueKm, p.HasDueKm = *dueKm, true
		}
		p.Vehicle, p.Status = vehicle, maintenance.StatusScheduled
		return p, err
	}, `SELECT r.reminder_id, r.vehicle_id, COALESCE(mv.customer_id, r.customer_id), r.service, r.cycle, r.due_at, d.due_km,
	           COALESCE(d.km_per_day, 0), COALESCE(v.make || ' ' || v.model || ' ' || v.year::text, ''),
	           COALESCE(p.reminders, 'each_due')
	      FROM maintenance_reminders r
	      -- the vehicle's current owner: a transfer after the reminder fell due
	      -- sends it to the new owner, never to the previous one
	      LEFT JOIN maintenance_vehicles mv ON mv.tenant_id = r.tenant_id AND mv.vehicle_id = r.vehicle_id
	      LEFT JOIN maintenance_due d ON d.tenant_id = r.tenant_id AND d.vehicle_id = r.vehicle_id
	                                 AND d.service = r.service AND d.cycle = r.cycle
	      LEFT JOIN registry_vehicles v ON v.tenant_id = r.tenant_id AND v.vehicle_id = r.vehicle_id
	      LEFT JOIN messaging_preferences p ON p.tenant_id = r.tenant_id
	                                         AND p.customer_id = COALESCE(mv.customer_id, r.customer_id)
	     WHERE r.tenant_id = $1 AND r.due AND r.status = 'scheduled'
	       AND COALESCE(mv.customer_id, r.customer_id) IS NOT NULL
	     ORDER BY r.due_at, r.reminder_id LIMIT $2`, limit)
}

// LastSentTo implements reminders.DueStore.
func (s *PostgresMaintenanceStore) LastSentTo(ctx context.Context, customerID uuid.UUID) (time.Time, bool, error) {
	out, err := collectTenant(ctx, tenantReads{pool: s.pool}, pgx.RowTo[*time.Time],
		`SELECT max(sent_at) FROM maintenance_reminders WHERE tenant_id = $1 AND customer_id = $2`, customerID)
	if err != nil || len(out) == 0 || out[0] == nil {
		return time.Time{}, false, err
	}
	return *out[0], true, nil
}

// Conversions implements reminders.DueStore.
func (s *PostgresMaintenanceStore) Conversions(ctx context.Context, window time.Duration, limit int) ([]reminders.Conversion, error) {
	return collectTenant(ctx, tenantReads{pool: s.pool}, func(row pgx.CollectableRow) (reminders.Conversion, error) {
		var c reminders.Conversion
		return c, row.Scan(&c.ReminderID, &c.OrderID, &c.OpenedAt)
	}, `SELECT r.reminder_id, o.order_id, o.opened_at FROM maintenance_reminders r
	    JOIN LATERAL (SELECT order_id, opened_at FROM maintenance_orders o
	                   WHERE o.tenant_id = r.tenant_id AND o.vehicle_id = r.vehicle_id AND NOT o.cancelled
	                     AND o.opened_at >= r.sent_at AND o.opened_at <= r.sent_at + make_interval(secs => $2)
	                   ORDER BY o.opened_at LIMIT 1) o ON true
	    WHERE r.tenant_id = $1 AND r.status = 'sent'
	    ORDER BY r.sent_at LIMIT $3`, window.Seconds(), limit)
}
