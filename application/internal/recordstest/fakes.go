// Package recordstest holds in-memory fakes of the ports of the workshop's
// records modules (customers, vehicles, serviceorders, datasubject) and a
// Fixture wiring the four modules on them, for their unit tests. It is test
// support only; no production code imports it.
package recordstest

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"sync"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/tenant"
)

// MemStore is an in-memory event store of every tenant, with gapless
// numbers per tenant and sequence.
type MemStore struct {
	mu      sync.Mutex
	streams map[string][]eventsourcing.Recorded
	numbers map[string]int64
	// FailAppend makes every append fail (after numbering).
	FailAppend error
	log        []string // "append <type>" in call order, shared with other fakes
}

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	return &MemStore{streams: map[string][]eventsourcing.Recorded{}, numbers: map[string]int64{}}
}

func key(t tenant.ID, id uuid.UUID) string { return t.String() + "/" + id.String() }

// Append implements eventsourcing.EventStore.
func (m *MemStore) Append(ctx context.Context, stream eventsourcing.StreamRef, expected int64, events []es.Event) (eventsourcing.AppendResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.appendLocked(ctx, stream, expected, events)
}

func (m *MemStore) appendLocked(ctx context.Context, stream eventsourcing.StreamRef, expected int64, events []es.Event) (eventsourcing.AppendResult, error) {
	t, err := tenant.FromContext(ctx)
	if err != nil {
		return eventsourcing.AppendResult{}, err
	}
	if m.FailAppend != nil {
		return eventsourcing.AppendResult{}, m.FailAppend
	}
	k := key(t, stream.ID)
	if int64(len(m.streams[k])) != expected {
		return eventsourcing.AppendResult{}, &eventsourcing.VersionConflictError{Stream: stream, Expected: expected}
	}
	res := eventsourcing.AppendResult{Stream: stream, FromVersion: expected + 1}
	for i, e := range events {
		rec := eventsourcing.Recorded{EventID: uuid.Must(uuid.NewV7()), Tenant: t, Stream: stream,
			Version: expected + int64(i) + 1, Type: e.EventName(), Actor: requestmeta.From(ctx).Actor, Event: e}
		m.streams[k] = append(m.streams[k], rec)
		res.Events = append(res.Events, rec)
		res.ToVersion = rec.Version
		m.log = append(m.log, "append "+e.EventName())
	}
	return res, nil
}

// Load implements eventsourcing.EventStore.
func (m *MemStore) Load(ctx context.Context, stream eventsourcing.StreamRef) ([]eventsourcing.Recorded, error) {
	t, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []eventsourcing.Recorded
	for _, r := range m.streams[key(t, stream.ID)] {
		if r.Stream.Type == stream.Type {
			out = append(out, r)
		}
	}
	return out, nil
}

// AppendNumbered implements eventsourcing.NumberedAppender.
func (m *MemStore) AppendNumbered(ctx context.Context, sequence string, stream eventsourcing.StreamRef, expected int64,
	build func(int64) ([]es.Event, error)) (eventsourcing.AppendResult, error) {
	t, err := tenant.FromContext(ctx)
	if err != nil {
		return eventsourcing.AppendResult{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	seq := t.String() + "/" + sequence
	events, err := build(m.numbers[seq] + 1)
	if err != nil {
		return eventsourcing.AppendResult{}, err
	}
	res, err := m.appendLocked(ctx, stream, expected, events)
	if err != nil {
		return res, err
	}
	m.numbers[seq]++
	return res, nil
}

// Record adds s to the call log, so tests see other fakes' calls in order
// with the appends.
func (m *MemStore) Record(s string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.log = append(m.log, s)
}

// Calls returns the call log: "append <event>" and what other fakes
// recorded, in call order.
func (m *MemStore) Calls() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.log...)
}

// Index is a transparent "blind index", so tests can read the terms.
type Index struct{}

// Index implements privacy.BlindIndexer as "<kind>:<value>".
func (Index) Index(ctx context.Context, kind, value string) (string, error) {
	if _, err := tenant.FromContext(ctx); err != nil {
		return "", err
	}
	return kind + ":" + value, nil
}

// SubjectKeys is a privacy.SubjectKeys recording each shred in Store's
// call log.
type SubjectKeys struct{ Store *MemStore }

// Shred implements privacy.SubjectKeys by recording "shred <subject>".
func (k SubjectKeys) Shred(_ context.Context, subject uuid.UUID) error {
	k.Store.Record("shred " + subject.String())
	return nil
}

// Unique is an in-memory uniquekeys.Store; Age is reported for existing
// claims.
type Unique struct {
	mu   sync.Mutex
	keys map[ukey]uuid.UUID
	Age  time.Duration
}

type ukey struct {
	tenant    tenant.ID
	kind, key string
}

// NewUnique returns a store without claims.
func NewUnique() *Unique { return &Unique{keys: map[ukey]uuid.UUID{}} }

func (u *Unique) k(ctx context.Context, kind, key string) ukey {
	t, _ := tenant.FromContext(ctx)
	return ukey{t, kind, key}
}

// Claim implements uniquekeys.Store.
func (u *Unique) Claim(ctx context.Context, kind, key string, owner uuid.UUID) (uniquekeys.Claim, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	k := u.k(ctx, kind, key)
	if h, ok := u.keys[k]; ok {
		return uniquekeys.Claim{Holder: h, Age: u.Age}, nil
	}
	u.keys[k] = owner
	return uniquekeys.Claim{Holder: owner, Fresh: true}, nil
}

// Takeover implements uniquekeys.Store.
func (u *Unique) Takeover(ctx context.Context, kind, key string, from, owner uuid.UUID) (bool, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	k := u.k(ctx, kind, key)
	if u.keys[k] != from {
		return false, nil
	}
	u.keys[k] = owner
	return true, nil
}

// Release implements uniquekeys.Store.
func (u *Unique) Release(ctx context.Context, kind, key string, owner uuid.UUID) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if k := u.k(ctx, kind, key); u.keys[k] == owner {
		delete(u.keys, k)
	}
	return nil
}

// ReleaseOwner implements uniquekeys.Store.
func (u *Unique) ReleaseOwner(ctx context.Context, kind string, owner uuid.UUID) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	t, _ := tenant.FromContext(ctx)
	for k, o := range u.keys {
		if o == owner && k.tenant == t && k.kind == kind {
			delete(u.keys, k)
		}
	}
	return nil
}

// Holder returns who holds the key of kind in the tenant of ctx.
func (u *Unique) Holder(ctx context.Context, kind, key string) (uuid.UUID, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	h, ok := u.keys[u.k(ctx, kind, key)]
	return h, ok
}

// Audit is an in-memory auditlog.Log: Entries are what was recorded; Fail
// makes Record fail.
type Audit struct {
	mu      sync.Mutex
	Entries []auditlog.Entry
	Fail    error
}

// Record implements auditlog.Log.
func (a *Audit) Record(_ context.Context, entries []auditlog.Entry) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.Fail != nil {
		return a.Fail
	}
	a.Entries = append(a.Entries, entries...)
	return nil
}

// List implements auditlog.Log: every entry, oldest first.
func (a *Audit) List(context.Context, auditlog.Filter, uuid.UUID, int) ([]auditlog.Entry, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]auditlog.Entry(nil), a.Entries...), nil
}

// ReadModel serves canned views of Customers and Vehicles as every read
// model the modules read; AskedPII records the withPII of each Customer
// call and LastQuery the last search. It has no orders, notes or consents.
type ReadModel struct {
	mu        sync.Mutex
	Customers map[uuid.UUID]customers.Customer
	Vehicles  map[uuid.UUID]vehicles.Vehicle
	AskedPII  []bool
	LastQuery customers.SearchQuery
}

// NewReadModel returns a read model without customers or vehicles.
func NewReadModel() *ReadModel {
	return &ReadModel{Customers: map[uuid.UUID]customers.Customer{}, Vehicles: map[uuid.UUID]vehicles.Vehicle{}}
}

// Customer implements customers.ReadModel.
func (f *ReadModel) Customer(_ context.Context, id uuid.UUID, withPII bool) (customers.Customer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.AskedPII = append(f.AskedPII, withPII)
	c, ok := f.Customers[id]
	if !ok {
		return c, fmt.Errorf("customer: %w", errs.ErrNotFound)
	}
	if !withPII {
		c.Contact = nil
	}
	return c, nil
}

// CustomersByID implements customers.ReadModel.
func (f *ReadModel) CustomersByID(ctx context.Context, ids []uuid.UUID, withPII bool) ([]customers.Customer, error) {
	var out []customers.Customer
	for _, id := range ids {
		if c, err := f.Customer(ctx, id, withPII); err == nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// Notes implements customers.ReadModel.
func (f *ReadModel) Notes(context.Context, uuid.UUID) ([]customers.Note, error) { return nil, nil }

// Consents implements datasubject.ConsentHistory.
func (f *ReadModel) Consents(context.Context, uuid.UUID) ([]datasubject.Consent, error) {
	return nil, nil
}

// Vehicle implements vehicles.ReadModel.
func (f *ReadModel) Vehicle(_ context.Context, id uuid.UUID) (vehicles.Vehicle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.Vehicles[id]
	if !ok {
		return v, fmt.Errorf("vehicle: %w", errs.ErrNotFound)
	}
	return v, nil
}

// VehiclesOf implements vehicles.ReadModel.
func (f *ReadModel) VehiclesOf(_ context.Context, customerID uuid.UUID) ([]vehicles.Vehicle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []vehicles.Vehicle
	for _, v := range f.Vehicles {
		if v.CustomerID == customerID {
			out = append(out, v)
		}
	}
	return out, nil
}

// VehiclesByID implements vehicles.ReadModel.
func (f *ReadModel) VehiclesByID(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]vehicles.Vehicle, error) {
	out := map[uuid.UUID]vehicles.Vehicle{}
	for _, id := range ids {
		if v, err := f.Vehicle(ctx, id); err == nil {
			out[id] = v
		}
	}
	return out, nil
}

// Readings implements vehicles.ReadModel.
func (f *ReadModel) Readings(context.Context, uuid.UUID) ([]vehicles.OdometerReading, error) {
	return nil, nil
}

// ServiceOrder implements serviceorders.ReadModel.
func (f *ReadModel) ServiceOrder(_ context.Context, id uuid.UUID) (serviceorders.ServiceOrder, error) {
	return serviceorders.ServiceOrder{}, fmt.Errorf("order %s: %w", id, errs.ErrNotFound)
}

// ServiceOrders implements serviceorders.ReadModel.
func (f *ReadModel) ServiceOrders(context.Context, serviceorders.Filter, int64, int) ([]serviceorders.ServiceOrder, error) {
	return nil, nil
}

// SearchCustomers implements customers.SearchIndex: every customer.
func (f *ReadModel) SearchCustomers(_ context.Context, q customers.SearchQuery, _ uuid.UUID, _ int) ([]uuid.UUID, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.LastQuery = q
	var out []uuid.UUID
	for id := range f.Customers {
		out = append(out, id)
	}
	return out, nil
}
