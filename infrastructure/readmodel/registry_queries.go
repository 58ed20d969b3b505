package readmodel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/registry"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var (
	_ registry.CustomerReadModel     = (*PostgresRegistryReadModel)(nil)
	_ registry.VehicleReadModel      = (*PostgresRegistryReadModel)(nil)
	_ registry.ServiceOrderReadModel = (*PostgresRegistryReadModel)(nil)
)

// PostgresRegistryReadModel reads the registry read models for the tenant
// in the context (row-level security plus an explicit tenant condition) and
// decrypts personal fields with the Cipher. A ciphertext that fails to
// decrypt as tampered fails the read; one of an erased person reads as
// absent.
type PostgresRegistryReadModel struct {
	pool   *pgxpool.Pool
	cipher privacy.Cipher
}

// NewRegistryReadModel returns the query adapter; pool connects as the
// runtime role.
func NewRegistryReadModel(pool *pgxpool.Pool, cipher privacy.Cipher) *PostgresRegistryReadModel {
	return &PostgresRegistryReadModel{pool: pool, cipher: cipher}
}

// open decrypts one read-model field; NULL and shredded keys give "".
func (r *PostgresRegistryReadModel) open(ctx context.Context, subject uuid.UUID, field string, ct *string) (string, error) {
	if ct == nil {
		return "", nil
	}
	pt, err := r.cipher.Decrypt(ctx, subject, field, *ct)
	if errors.Is(err, privacy.ErrErased) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return string(pt), nil
}

// query runs fn in a transaction of the tenant of ctx.
func (r *PostgresRegistryReadModel) query(ctx context.Context, fn func(tx pgx.Tx, t uuid.UUID) error) error {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	return postgres.InTenantTx(ctx, r.pool, func(tx pgx.Tx) error { return fn(tx, tid.UUID()) })
}

// customerRow is a registry_customers row with its personal fields sealed.
type customerRow struct {
	id                                                      uuid.UUID
	name, document, email, mobile, landline                 *string
	street, number, complement, district, city, state, post *string
	documentType                                            string
	marketing, erased                                       bool
	createdAt                                               time.Time
	version                                                 int64
}

const customerSelect = `SELECT customer_id, name_enc, document_enc, email_enc, mobile_enc, landline_enc, street_enc,
	number_enc, complement_enc, district_enc, city_enc, state_enc, postal_code_enc, document_type, marketing_consent,
	erased, created_at, version FROM registry_customers`

func scanCustomer(row pgx.CollectableRow) (customerRow, error) {
	var c customerRow
	err := row.Scan(&c.id, &c.name, &c.document, &c.email, &c.mobile, &c.landline, &c.street, &c.number, &c.complement,
		&c.district, &c.city, &c.state, &c.post, &c.documentType, &c.marketing, &c.erased, &c.createdAt, &c.version)
	return c, err
}

// view decrypts a row; Contact is decrypted only withPII.
func (r *PostgresRegistryReadModel) view(ctx context.Context, c customerRow, withPII bool) (registry.Customer, error) {
	out := registry.Customer{ID: c.id, MarketingConsent: c.marketing, CreatedAt: c.createdAt, Version: c.version, Erased: c.erased}
	var err error
	if out.Name, err = r.open(ctx, c.id, customerField("name"), c.name); err != nil {
		return out, err
	}
	if !withPII || c.erased {
		return out, nil
	}
	k := &registry.Contact{DocumentType: c.documentType}
	for _, f := range []struct {
		dst    *string
		column string
		ct     *string
	}{
		{&k.Document, "document", c.document}, {&k.Email, "email", c.email},
		{&k.Phones.Mobile, "mobile", c.mobile}, {&k.Phones.Landline, "landline", c.landline},
		{&k.Address.Street, "street", c.street}, {&k.Address.Number, "number", c.number},
		{&k.Address.Complement, "complement", c.complement}, {&k.Address.District, "district", c.district},
		{&k.Address.City, "city", c.city}, {&k.Address.State, "state", c.state},
		{&k.Address.PostalCode, "postal_code", c.post},
	} {
		if *f.dst, err = r.open(ctx, c.id, customerField(f.column), f.ct); err != nil {
			return out, err
		}
	}
	out.Contact = k
	return out, nil
}

// Customer implements registry.CustomerReadModel.
func (r *PostgresRegistryReadModel) Customer(ctx context.Context, id uuid.UUID, withPII bool) (registry.Customer, error) {
	var rows []customerRow
	err := r.query(ctx, func(tx pgx.Tx, t uuid.UUID) error {
		res, err := tx.Query(ctx, customerSelect+` WHERE tenant_id = $1 AND customer_id = $2`, t, id)
		if err != nil {
			return err
		}
		rows, err = pgx.CollectRows(res, scanCustomer)
		return err
	})
	if err != nil {
		return registry.Customer{}, err
	}
	if len(rows) == 0 {
		return registry.Customer{}, fmt.Errorf("customer %s: %w", id, errs.ErrNotFound)
	}
	return r.view(ctx, rows[0], withPII)
}

// CustomersByID implements registry.CustomerReadModel.
func (r *PostgresRegistryReadModel) CustomersByID(ctx context.Context, ids []uuid.UUID, withPII bool) ([]registry.Customer, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []customerRow
	err := r.query(ctx, func(tx pgx.Tx, t uuid.UUID) error {
		res, err := tx.Query(ctx, customerSelect+` WHERE tenant_id = $1 AND customer_id = ANY($2) AND NOT erased`, t, ids)
		if err != nil {
			return err
		}
		rows, err = pgx.CollectRows(res, scanCustomer)
		return err
	})
	if err != nil {
		return nil, err
	}
	byID := make(map[uuid.UUID]customerRow, len(rows))
	for _, c := range rows {
		byID[c.id] = c
	}
	out := make([]registry.Customer, 0, len(rows))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			v, err := r.view(ctx, c, withPII)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
	}
	return out, nil
}

// Notes implements registry.CustomerReadModel.
func (r *PostgresRegistryReadModel) Notes(ctx context.Context, customerID uuid.UUID) ([]registry.Note, error) {
	type noteRow struct {
		id     uuid.UUID
		text   *string
		author string
		at     time.Time
	}
	var rows []noteRow
	err := r.query(ctx, func(tx pgx.Tx, t uuid.UUID) error {
		res, err := tx.Query(ctx, `SELECT note_id, text_enc, author, added_at FROM registry_notes
			WHERE tenant_id = $1 AND customer_id = $2 ORDER BY added_at, note_id`, t, customerID)
		if err != nil {
			return err
		}
		rows, err = pgx.CollectRows(res, func(row pgx.CollectableRow) (noteRow, error) {
			var n noteRow
			err := row.Scan(&n.id, &n.text, &n.author, &n.at)
			return n, err
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]registry.Note, 0, len(rows))
	for _, n := range rows {
		text, err := r.open(ctx, customerID, noteField(n.id), n.text)
		if err != nil {
			return nil, err
		}
		out = append(out, registry.Note{ID: n.id, Text: text, AddedAt: n.at, Author: n.author})
	}
	return out, nil
}

// Consents implements registry.CustomerReadModel.
func (r *PostgresRegistryReadModel) Consents(ctx context.Context, customerID uuid.UUID) ([]registry.Consent, error) {
	var out []registry.Consent
	err := r.query(ctx, func(tx pgx.Tx, t uuid.UUID) error {
		res, err := tx.Query(ctx, `SELECT purpose, channel, granted, source, at, actor FROM registry_consents
			WHERE tenant_id = $1 AND customer_id = $2 ORDER BY version`, t, customerID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(res, func(row pgx.CollectableRow) (registry.Consent, error) {
			var c registry.Consent
			err := row.Scan(&c.Purpose, &c.Channel, &c.Granted, &c.Source, &c.At, &c.Actor)
			return c, err
		})
		return err
	})
	return out, err
}

type vehicleRow struct {
	v     registry.Vehicle
	plate *string
}

const vehicleSelect = `SELECT vehicle_id, customer_id, plate_enc, make, model, year, color, mileage_km, registered_at, version
	FROM registry_vehicles`

func scanVehicle(row pgx.CollectableRow) (vehicleRow, error) {
	var v vehicleRow
	err := row.Scan(&v.v.ID, &v.v.CustomerID, &v.plate, &v.v.Make, &v.v.Model, &v.v.Year, &v.v.Color, &v.v.MileageKm,
		&v.v.RegisteredAt, &v.v.Version)
	return v, err
}

func (r *PostgresRegistryReadModel) vehicles(ctx context.Context, where string, args ...any) ([]registry.Vehicle, error) {
	var rows []vehicleRow
	err := r.query(ctx, func(tx pgx.Tx, t uuid.UUID) error {
		res, err := tx.Query(ctx, vehicleSelect+` WHERE tenant_id = $1 AND `+where+` ORDER BY vehicle_id`, append([]any{t}, args...)...)
		if err != nil {
			return err
		}
		rows, err = pgx.CollectRows(res, scanVehicle)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]registry.Vehicle, 0, len(rows))
	for _, row := range rows {
		v := row.v
		if v.Plate, err = r.open(ctx, v.CustomerID, plateField(v.ID), row.plate); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Vehicle implements registry.VehicleReadModel.
func (r *PostgresRegistryReadModel) Vehicle(ctx context.Context, id uuid.UUID) (registry.Vehicle, error) {
	vs, err := r.vehicles(ctx, `vehicle_id = $2`, id)
	if err != nil {
		return registry.Vehicle{}, err
	}
	if len(vs) == 0 {
		return registry.Vehicle{}, fmt.Errorf("vehicle %s: %w", id, errs.ErrNotFound)
	}
	return vs[0], nil
}

// VehiclesOf implements registry.VehicleReadModel.
func (r *PostgresRegistryReadModel) VehiclesOf(ctx context.Context, customerID uuid.UUID) ([]registry.Vehicle, error) {
	return r.vehicles(ctx, `customer_id = $2`, customerID)
}

// VehiclesByID implements registry.VehicleReadModel.
func (r *PostgresRegistryReadModel) VehiclesByID(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]registry.Vehicle, error) {
	out := map[uuid.UUID]registry.Vehicle{}
	if len(ids) == 0 {
		return out, nil
	}
	vs, err := r.vehicles(ctx, `vehicle_id = ANY($2)`, ids)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		out[v.ID] = v
	}
	return out, nil
}

// Readings implements registry.VehicleReadModel.
func (r *PostgresRegistryReadModel) Readings(ctx context.Context, vehicleID uuid.UUID) ([]registry.OdometerReading, error) {
	var out []registry.OdometerReading
	err := r.query(ctx, func(tx pgx.Tx, t uuid.UUID) error {
		res, err := tx.Query(ctx, `SELECT km, read_at, source, new_odometer FROM registry_odometer_readings
			WHERE tenant_id = $1 AND vehicle_id = $2 ORDER BY version`, t, vehicleID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(res, func(row pgx.CollectableRow) (registry.OdometerReading, error) {
			var o registry.OdometerReading
			err := row.Scan(&o.Km, &o.ReadAt, &o.Source, &o.NewOdometer)
			return o, err
		})
		return err
	})
	return out, err
}

const orderSelect = `SELECT order_id, number, status, customer_id, vehicle_id, mileage_km, description, items, total_cents,
	mechanic_id, status_history, opened_at, updated_at, version FROM registry_service_orders`

func scanOrder(row pgx.CollectableRow) (registry.ServiceOrder, error) {
	var o registry.ServiceOrder
	var items, history []byte
	if err := row.Scan(&o.ID, &o.Number, &o.Status, &o.CustomerID, &o.VehicleID, &o.MileageKm, &o.Description, &items,
		&o.TotalCents, &o.MechanicID, &history, &o.OpenedAt, &o.UpdatedAt, &o.Version); err != nil {
		return o, err
	}
	var its []orderItemJSON
	if err := json.Unmarshal(items, &its); err != nil {
		return o, fmt.Errorf("order %s items: %w", o.ID, err)
	}
	o.Items = make([]registry.OrderItem, 0, len(its))
	for _, it := range its {
		o.Items = append(o.Items, registry.OrderItem(it))
	}
	var hs []statusChangeJSON
	if err := json.Unmarshal(history, &hs); err != nil {
		return o, fmt.Errorf("order %s history: %w", o.ID, err)
	}
	for _, h := range hs {
		at, err := time.Parse(time.RFC3339Nano, h.At)
		if err != nil {
			return o, fmt.Errorf("order %s history: %w", o.ID, err)
		}
		o.StatusHistory = append(o.StatusHistory, registry.StatusChange{From: h.From, To: h.To, Note: h.Note, At: at})
	}
	return o, nil
}

// ServiceOrder implements registry.ServiceOrderReadModel.
func (r *PostgresRegistryReadModel) ServiceOrder(ctx context.Context, id uuid.UUID) (registry.ServiceOrder, error) {
	var out []registry.ServiceOrder
	err := r.query(ctx, func(tx pgx.Tx, t uuid.UUID) error {
		res, err := tx.Query(ctx, orderSelect+` WHERE tenant_id = $1 AND order_id = $2`, t, id)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(res, scanOrder)
		return err
	})
	if err != nil {
		return registry.ServiceOrder{}, err
	}
	if len(out) == 0 {
		return registry.ServiceOrder{}, fmt.Errorf("service order %s: %w", id, errs.ErrNotFound)
	}
	return out[0], nil
}

// ServiceOrders implements registry.ServiceOrderReadModel. Each filter
// matches one of the (tenant_id, X, number DESC) indexes.
func (r *PostgresRegistryReadModel) ServiceOrders(ctx context.Context, f registry.OrderFilter, beforeNumber int64, limit int) ([]registry.ServiceOrder, error) {
	var out []registry.ServiceOrder
	err := r.query(ctx, func(tx pgx.Tx, t uuid.UUID) error {
		var a args
		where := "tenant_id = " + a.add(t)
		if f.Status != "" {
			where += " AND status = " + a.add(f.Status)
		}
		if f.CustomerID != uuid.Nil {
			where += " AND customer_id = " + a.add(f.CustomerID)
		}
		if f.VehicleID != uuid.Nil {
			where += " AND vehicle_id = " + a.add(f.VehicleID)
		}
		if beforeNumber > 0 {
			where += " AND number < " + a.add(beforeNumber)
		}
		res, err := tx.Query(ctx, orderSelect+` WHERE `+where+` ORDER BY number DESC LIMIT `+a.add(limit), a...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(res, scanOrder)
		return err
	})
	return out, err
}
