package readmodel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/torquehq/torque/domain/es"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/infrastructure/projection"
)

var _ projection.Projection = RecordsProjection{}

// RecordsProjection maintains the customer 360 read models:
// registry_customers, registry_vehicles, registry_odometer_readings,
// registry_service_orders, registry_notes and registry_consents.
//
// Events reach it decrypted by the codec; it encrypts every personal field
// again, with the person's own key, before queueing it, so the read model
// never holds personal data in clear. After an erasure the codec hands it
// the placeholder "[removido]" instead, and it stores NULL: a rebuild after
// an erasure gives the same anonymised model as live processing did.
type RecordsProjection struct {
	// Cipher encrypts personal fields; the tenant comes from each event.
	Cipher privacy.Cipher
}

// RecordsProjectionName is the projection's stable name (consumer group
// and checkpoints): renaming it re-consumes every event, so it keeps the
// name it had before the Go type was renamed.
const RecordsProjectionName = "registry"

// Name implements projection.Projection.
func (RecordsProjection) Name() string { return RecordsProjectionName }

// Handles implements projection.Projection.
func (RecordsProjection) Handles() []string {
	return es.Names(customer.Events, vehicle.Events, serviceorder.Events)
}

// Reset implements projection.Projection.
func (RecordsProjection) Reset(b *pgx.Batch) {
	for _, t := range []string{"registry_quotes", "registry_consents", "registry_notes", "registry_service_orders",
		"registry_odometer_readings", "registry_vehicles", "registry_customers"} {
		b.Queue(`DELETE FROM ` + t)
	}
}

// Field names bound into read-model ciphertexts (with tenant and person),
// so a ciphertext copied to another column or record does not decrypt.
func customerField(column string) string { return "registry_customers." + column }
func plateField(vehicleID uuid.UUID) string {
	return "registry_vehicles.plate:" + vehicleID.String()
}
func noteField(noteID uuid.UUID) string { return "registry_notes.text:" + noteID.String() }

// customerColumns maps the customer's API fields to their encrypted column
// and to where Registered and Corrected carry them.
var customerColumns = []struct {
	api, column string
	registered  func(*customer.Registered) string
	corrected   func(*customer.Corrected) string
}{
	{customer.FieldName, "name", func(e *customer.Registered) string { return e.Name }, func(e *customer.Corrected) string { return e.Name }},
	{customer.FieldDocument, "document", func(e *customer.Registered) string { return e.Document }, func(e *customer.Corrected) string { return e.Document }},
	{customer.FieldEmail, "email", func(e *customer.Registered) string { return e.Email }, func(e *customer.Corrected) string { return e.Email }},
	{customer.FieldMobile, "mobile", func(e *customer.Registered) string { return e.MobilePhone }, func(e *customer.Corrected) string { return e.MobilePhone }},
	{customer.FieldLandline, "landline", func(e *customer.Registered) string { return e.LandlinePhone }, func(e *customer.Corrected) string { return e.LandlinePhone }},
	{customer.FieldStreet, "street", func(e *customer.Registered) string { return e.Street }, func(e *customer.Corrected) string { return e.Street }},
	{customer.FieldNumber, "number", func(e *customer.Registered) string { return e.Number }, func(e *customer.Corrected) string { return e.Number }},
	{customer.FieldComplement, "complement", func(e *customer.Registered) string { return e.Complement }, func(e *customer.Corrected) string { return e.Complement }},
	{customer.FieldDistrict, "district", func(e *customer.Registered) string { return e.District }, func(e *customer.Corrected) string { return e.District }},
	{customer.FieldCity, "city", func(e *customer.Registered) string { return e.City }, func(e *customer.Corrected) string { return e.City }},
	{customer.FieldState, "state", func(e *customer.Registered) string { return e.State }, func(e *customer.Corrected) string { return e.State }},
	{customer.FieldPostalCode, "postal_code", func(e *customer.Registered) string { return e.PostalCode }, func(e *customer.Corrected) string { return e.PostalCode }},
}

// sealer encrypts personal fields for one event's tenant.
type sealer struct {
	ctx context.Context
	c   privacy.Cipher
}

func newSealer(c privacy.Cipher, t tenant.ID) sealer {
	return sealer{ctx: tenant.WithTenant(context.Background(), t), c: c}
}

// seal returns the ciphertext of value, or nil (SQL NULL) when there is
// nothing to keep: an absent value, the erasure placeholder, or a person
// whose key is already shredded.
func (s sealer) seal(subject uuid.UUID, field, value string) (*string, error) {
	if value == "" || value == privacy.Placeholder {
		return nil, nil
	}
	if s.c == nil {
		return nil, errors.New("registry projection: no cipher")
	}
	ct, err := s.c.Encrypt(s.ctx, subject, field, []byte(value))
	if errors.Is(err, privacy.ErrErased) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &ct, nil
}

// args collects positional SQL arguments.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// Apply implements projection.Projection. Statements name the event's
// tenant explicitly and depend only on the event and the read model.
func (p RecordsProjection) Apply(b *pgx.Batch, e eventsourcing.Recorded) error {
	s := newSealer(p.Cipher, e.Tenant)
	switch ev := e.Event.(type) {
	case customer.Registered:
		return p.customerRegistered(b, s, e, &ev)
	case customer.Corrected:
		return p.customerCorrected(b, s, e, &ev)
	case customer.NoteAdded:
		text, err := s.seal(e.Stream.ID, noteField(ev.NoteID), ev.Text)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO registry_notes (tenant_id, customer_id, note_id, text_enc, author, added_at)
		         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
			e.Tenant.UUID(), e.Stream.ID, ev.NoteID, text, e.Actor, ev.AddedAt)
		touchCustomer(b, e, "")
	case customer.ConsentGiven:
		b.Queue(`INSERT INTO registry_consents (tenant_id, customer_id, version, purpose, channel, granted, source, at, actor)
		         VALUES ($1, $2, $3, $4, $5, true, $6, $7, $8) ON CONFLICT DO NOTHING`,
			e.Tenant.UUID(), e.Stream.ID, e.Version, ev.Purpose, ev.Channel, ev.Source, ev.GivenAt, e.Actor)
		touchCustomer(b, e, marketingSet(ev.Purpose, true))
	case customer.ConsentWithdrawn:
		b.Queue(`INSERT INTO registry_consents (tenant_id, customer_id, version, purpose, channel, granted, source, at, actor)
		         VALUES ($1, $2, $3, $4, '', false, $5, $6, $7) ON CONFLICT DO NOTHING`,
			e.Tenant.UUID(), e.Stream.ID, e.Version, ev.Purpose, ev.Source, ev.WithdrawnAt, e.Actor)
		touchCustomer(b, e, marketingSet(ev.Purpose, false))
	case customer.Erased:
		customerErased(b, e, ev)
	case customer.ErasureRequested:
		// Listed for the owner to confirm until the erasure (migration 0011).
		b.Queue(`UPDATE registry_customers SET version = $3, updated_at = $4, erasure_requested_at = $5
			WHERE tenant_id = $1 AND customer_id = $2`, e.Tenant.UUID(), e.Stream.ID, e.Version, e.OccurredAt, ev.RequestedAt)
	case vehicle.Registered:
		plate, err := s.seal(ev.CustomerID, plateField(e.Stream.ID), ev.Plate)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO registry_vehicles (tenant_id, vehicle_id, customer_id, plate_enc, make, model, year, color,
		                                        registered_at, updated_at, version)
		         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
			e.Tenant.UUID(), e.Stream.ID, ev.CustomerID, plate, ev.Make, ev.Model, ev.Year, ev.Color,
			ev.RegisteredAt, e.OccurredAt, e.Version)
	case vehicle.Corrected:
		return p.vehicleCorrected(b, s, e, &ev)
	case vehicle.MileageRecorded:
		b.Queue(`INSERT INTO registry_odometer_readings (tenant_id, vehicle_id, version, km, read_at, source, new_odometer)
		         SELECT $1, $2, $3, $4, $5, $6, coalesce((SELECT odometer_replaced FROM registry_vehicles
		                                                  WHERE tenant_id = $1 AND vehicle_id = $2), false)
		         ON CONFLICT DO NOTHING`,
			e.Tenant.UUID(), e.Stream.ID, e.Version, ev.Km, ev.ReadAt, ev.Source)
		touchVehicle(b, e, "mileage_km = $4, odometer_replaced = false", ev.Km)
	case vehicle.OdometerReplaced:
		touchVehicle(b, e, "odometer_replaced = true")
	case vehicle.Transferred:
		plate, err := s.seal(ev.CustomerID, plateField(e.Stream.ID), ev.Plate)
		if err != nil {
			return err
		}
		touchVehicle(b, e, "customer_id = $4, plate_enc = $5", ev.CustomerID, plate)
	case serviceorder.Opened:
		return orderOpened(b, e, &ev)
	case serviceorder.ItemAdded:
		item, err := json.Marshal([]orderItemJSON{itemJSON(ev.Item)})
		if err != nil {
			return err
		}
		touchOrder(b, e, ev.AddedAt, "items = items || $4::jsonb, total_cents = $5", string(item), ev.TotalCents)
	case serviceorder.ItemRemoved:
		touchOrder(b, e, ev.RemovedAt, `items = coalesce((SELECT jsonb_agg(x ORDER BY (x->>'line')::bigint)
		                                      FROM jsonb_array_elements(items) AS x
		                                     WHERE (x->>'line')::bigint <> $4), '[]'::jsonb),
		                  total_cents = $5`, ev.Line, ev.TotalCents)
	case serviceorder.StatusChanged:
		h, err := json.Marshal([]statusChangeJSON{{From: ev.From, To: ev.To, Note: ev.Note, At: jsonTime(ev.ChangedAt)}})
		if err != nil {
			return err
		}
		touchOrder(b, e, ev.ChangedAt, "status = $4, status_history = status_history || $5::jsonb", ev.To, string(h))
	case serviceorder.MechanicAssigned:
		touchOrder(b, e, ev.AssignedAt, "mechanic_id = $4", ev.MechanicID)
	case serviceorder.QuoteSent:
		b.Queue(`INSERT INTO registry_quotes (tenant_id, quote_id, order_id, customer_id, version, sent_at)
		         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, quote_id) DO NOTHING`,
			e.Tenant.UUID(), ev.QuoteID, e.Stream.ID, ev.CustomerID, ev.Version, ev.SentAt)
		// The order row only takes the stream's new version (its status and
		// items change through the StatusChanged and item events that follow).
		touchOrder(b, e, ev.SentAt, "total_cents = total_cents")
	case serviceorder.QuoteDecided:
		touchOrder(b, e, ev.DecidedAt, "total_cents = total_cents")
	default:
		return fmt.Errorf("registry: unexpected %T", e.Event)
	}
	return nil
}

func (RecordsProjection) customerRegistered(b *pgx.Batch, s sealer, e eventsourcing.Recorded, ev *customer.Registered) error {
	var a args
	cols := []string{"tenant_id", "customer_id", "document_type", "created_at", "updated_at", "version"}
	vals := []string{a.add(e.Tenant.UUID()), a.add(e.Stream.ID), a.add(documentType(ev.Document, ev.DocumentType)),
		a.add(ev.RegisteredAt), a.add(e.OccurredAt), a.add(e.Version)}
	for _, f := range customerColumns {
		v, err := s.seal(e.Stream.ID, customerField(f.column), f.registered(ev))
		if err != nil {
			return err
		}
		cols = append(cols, f.column+"_enc")
		vals = append(vals, a.add(v))
	}
	b.Queue(`INSERT INTO registry_customers (`+strings.Join(cols, ", ")+`) VALUES (`+strings.Join(vals, ", ")+`)
	         ON CONFLICT (tenant_id, customer_id) DO NOTHING`, a...)
	return nil
}

// documentType keeps the type only with a document to go with it.
func documentType(document, typ string) string {
	if document == "" || document == privacy.Placeholder {
		return ""
	}
	return typ
}

func (RecordsProjection) customerCorrected(b *pgx.Batch, s sealer, e eventsourcing.Recorded, ev *customer.Corrected) error {
	var a args
	where := "tenant_id = " + a.add(e.Tenant.UUID()) + " AND customer_id = " + a.add(e.Stream.ID) + " AND NOT erased"
	sets := []string{"version = " + a.add(e.Version), "updated_at = " + a.add(e.OccurredAt)}
	for _, name := range ev.Changed {
		for _, f := range customerColumns {
			if f.api != name {
				continue
			}
			v, err := s.seal(e.Stream.ID, customerField(f.column), f.corrected(ev))
			if err != nil {
				return err
			}
			sets = append(sets, f.column+"_enc = "+a.add(v))
			if name == customer.FieldDocument {
				sets = append(sets, "document_type = "+a.add(documentType(ev.Document, ev.DocumentType)))
			}
		}
	}
	b.Queue(`UPDATE registry_customers SET `+strings.Join(sets, ", ")+` WHERE `+where, a...)
	return nil
}

// marketingSet is the extra SET clause of a consent event that changes
// the marketing flag ("" when the purpose is another).
func marketingSet(purpose string, granted bool) string {
	if purpose != customer.PurposeMarketing.String() {
		return ""
	}
	return "marketing_consent = " + strconv.FormatBool(granted)
}

// touchCustomer records the customer stream's new version.
func touchCustomer(b *pgx.Batch, e eventsourcing.Recorded, extra string) {
	set := "version = $3, updated_at = $4"
	if extra != "" {
		set += ", " + extra
	}
	b.Queue(`UPDATE registry_customers SET `+set+` WHERE tenant_id = $1 AND customer_id = $2`,
		e.Tenant.UUID(), e.Stream.ID, e.Version, e.OccurredAt)
}

// customerErased removes the person's data from every read model: the
// profile keeps only ids and dates, notes and consents go, and the plates
// of the vehicles they own are dropped. Vehicles and service orders stay
// as the workshop's anonymised service record.
func customerErased(b *pgx.Batch, e eventsourcing.Recorded, ev customer.Erased) {
	t, id := e.Tenant.UUID(), e.Stream.ID
	sets := []string{"document_type = ''", "marketing_consent = false", "erased = true",
		"erased_at = $3", "version = $4", "updated_at = $5"}
	for _, f := range customerColumns {
		sets = append(sets, f.column+"_enc = NULL")
	}
	b.Queue(`UPDATE registry_customers SET `+strings.Join(sets, ", ")+` WHERE tenant_id = $1 AND customer_id = $2`,
		t, id, ev.ErasedAt, e.Version, e.OccurredAt)
	b.Queue(`DELETE FROM registry_notes WHERE tenant_id = $1 AND customer_id = $2`, t, id)
	b.Queue(`DELETE FROM registry_consents WHERE tenant_id = $1 AND customer_id = $2`, t, id)
	b.Queue(`UPDATE registry_vehicles SET plate_enc = NULL WHERE tenant_id = $1 AND customer_id = $2`, t, id)
	// The orders stay as the anonymised service record, but their free text
	// (what the customer said, notes to them) is theirs: it reads as the
	// placeholder, as the events now decode it (issue 10, item 9).
	b.Queue(`UPDATE registry_service_orders SET
	           description = CASE WHEN description = '' THEN '' ELSE $3 END,
	           items = coalesce((SELECT jsonb_agg(CASE WHEN coalesce(x->>'description', '') = '' THEN x
	                                              ELSE jsonb_set(x, '{description}', to_jsonb($3::text)) END ORDER BY n)
	                               FROM jsonb_array_elements(items) WITH ORDINALITY AS e(x, n)), '[]'::jsonb),
	           status_history = coalesce((SELECT jsonb_agg(CASE WHEN coalesce(x->>'note', '') = '' THEN x
	                                              ELSE jsonb_set(x, '{note}', to_jsonb($3::text)) END ORDER BY n)
	                               FROM jsonb_array_elements(status_history) WITH ORDINALITY AS e(x, n)), '[]'::jsonb)
	         WHERE tenant_id = $1 AND customer_id = $2`, t, id, privacy.Placeholder)
}

func (RecordsProjection) vehicleCorrected(b *pgx.Batch, s sealer, e eventsourcing.Recorded, ev *vehicle.Corrected) error {
	var a args
	where := "tenant_id = " + a.add(e.Tenant.UUID()) + " AND vehicle_id = " + a.add(e.Stream.ID)
	sets := []string{"version = " + a.add(e.Version), "updated_at = " + a.add(e.OccurredAt)}
	for _, name := range ev.Changed {
		switch name {
		case vehicle.FieldPlate:
			v, err := s.seal(ev.CustomerID, plateField(e.Stream.ID), ev.Plate)
			if err != nil {
				return err
			}
			sets = append(sets, "plate_enc = "+a.add(v))
		case vehicle.FieldMake:
			sets = append(sets, "make = "+a.add(ev.Make))
		case vehicle.FieldModel:
			sets = append(sets, "model = "+a.add(ev.Model))
		case vehicle.FieldYear:
			sets = append(sets, "year = "+a.add(ev.Year))
		case vehicle.FieldColor:
			sets = append(sets, "color = "+a.add(ev.Color))
		}
	}
	b.Queue(`UPDATE registry_vehicles SET `+strings.Join(sets, ", ")+` WHERE `+where, a...)
	return nil
}

// touchVehicle updates the vehicle with set, whose own arguments start at
// $4, and records the stream's new version.
func touchVehicle(b *pgx.Batch, e eventsourcing.Recorded, set string, extra ...any) {
	a := append([]any{e.Tenant.UUID(), e.Stream.ID, e.Version}, extra...)
	n := len(a)
	a = append(a, e.OccurredAt)
	b.Queue(`UPDATE registry_vehicles SET `+set+`, version = $3, updated_at = $`+strconv.Itoa(n+1)+`
	          WHERE tenant_id = $1 AND vehicle_id = $2`, a...)
}

// orderItemJSON and statusChangeJSON are the stored shapes of the items
// and status_history columns.
type orderItemJSON struct {
	Line           int64  `json:"line"`
	Service        string `json:"service"`
	Description    string `json:"description"`
	Quantity       int64  `json:"quantity"`
	UnitPriceCents int64  `json:"unit_price_cents"`
	TotalCents     int64  `json:"total_cents"`
}

type statusChangeJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
	Note string `json:"note"`
	At   string `json:"at"`
}

func itemJSON(it serviceorder.LineItem) orderItemJSON {
	return orderItemJSON{Line: it.Line, Service: it.Service, Description: it.Description, Quantity: it.Quantity,
		UnitPriceCents: it.UnitPriceCents, TotalCents: it.TotalCents}
}

func jsonTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func orderOpened(b *pgx.Batch, e eventsourcing.Recorded, ev *serviceorder.Opened) error {
	items := make([]orderItemJSON, 0, len(ev.Items))
	for _, it := range ev.Items {
		items = append(items, itemJSON(it))
	}
	itemsJSON, err := json.Marshal(items)
	if err != nil {
		return err
	}
	history, err := json.Marshal([]statusChangeJSON{{To: serviceorder.StatusOpen.String(), At: jsonTime(ev.OpenedAt)}})
	if err != nil {
		return err
	}
	var mileage *int64
	if ev.HasMileage {
		mileage = &ev.MileageKm
	}
	b.Queue(`INSERT INTO registry_service_orders (tenant_id, order_id, number, status, customer_id, vehicle_id, mileage_km,
	                                              description, items, total_cents, status_history, opened_at, updated_at, version)
	         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11::jsonb, $12, $13, $14) ON CONFLICT DO NOTHING`,
		e.Tenant.UUID(), e.Stream.ID, ev.Number, serviceorder.StatusOpen.String(), ev.CustomerID, ev.VehicleID, mileage,
		ev.Description, string(itemsJSON), ev.TotalCents, string(history), ev.OpenedAt, ev.OpenedAt, e.Version)
	return nil
}

// touchOrder updates the order with set, whose own arguments start at $4,
// and records the stream's new version and when the change happened (the
// event's own time, as the write side's response shows it).
func touchOrder(b *pgx.Batch, e eventsourcing.Recorded, at time.Time, set string, extra ...any) {
	a := append([]any{e.Tenant.UUID(), e.Stream.ID, e.Version}, extra...)
	n := len(a)
	a = append(a, at)
	b.Queue(`UPDATE registry_service_orders SET `+set+`, version = $3, updated_at = $`+strconv.Itoa(n+1)+`
	          WHERE tenant_id = $1 AND order_id = $2`, a...)
}
