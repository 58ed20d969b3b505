// Package recordstest holds in-memory fakes of the ports of the workshop's
// records modules (customers, vehicles, serviceorders, datasubject) and a
// Fixture wiring the four modules on them and an eventstoretest.MemStore,
// for their unit tests. It is test support only; no production code
// imports it.
package recordstest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/internal/eventstoretest"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
)

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
type SubjectKeys struct{ Store *eventstoretest.MemStore }

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

// SearchCustomers implements customers.SearchIndex: every customer after
// `after`, in id order, at most limit, whatever the query, as if every
// term shared one blind-index bucket (the use case must filter).
func (f *ReadModel) SearchCustomers(_ context.Context, q customers.SearchQuery, after uuid.UUID, limit int) ([]uuid.UUID, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.LastQuery = q
	var out []uuid.UUID
	for id := range f.Customers {
		if bytes.Compare(id[:], after[:]) > 0 {
			out = append(out, id)
		}
	}
	slices.SortFunc(out, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
	return out[:min(len(out), limit)], nil
}
