package registry_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/registry"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/tenant"
)

// memStore is an in-memory event store of every tenant, with gapless
// numbers per tenant and sequence.
type memStore struct {
	mu      sync.Mutex
	streams map[string][]eventsourcing.Recorded
	numbers map[string]int64
	// failAppend makes every append fail (after numbering).
	failAppend error
	log        []string // "append <type>" in call order, shared with other fakes
}

func newMemStore() *memStore {
	return &memStore{streams: map[string][]eventsourcing.Recorded{}, numbers: map[string]int64{}}
}

func key(t tenant.ID, id uuid.UUID) string { return t.String() + "/" + id.String() }

func (m *memStore) Append(ctx context.Context, stream eventsourcing.StreamRef, expected int64, events []es.Event) (eventsourcing.AppendResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.appendLocked(ctx, stream, expected, events)
}

func (m *memStore) appendLocked(ctx context.Context, stream eventsourcing.StreamRef, expected int64, events []es.Event) (eventsourcing.AppendResult, error) {
	t, err := tenant.FromContext(ctx)
	if err != nil {
		return eventsourcing.AppendResult{}, err
	}
	if m.failAppend != nil {
		return eventsourcing.AppendResult{}, m.failAppend
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

func (m *memStore) Load(ctx context.Context, stream eventsourcing.StreamRef) ([]eventsourcing.Recorded, error) {
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

func (m *memStore) AppendNumbered(ctx context.Context, sequence string, stream eventsourcing.StreamRef, expected int64,
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

func (m *memStore) record(s string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.log = append(m.log, s)
}

func (m *memStore) calls() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.log...)
}

// fakeIndex is a transparent "blind index", so tests can read the terms.
type fakeIndex struct{}

func (fakeIndex) Index(ctx context.Context, kind, value string) (string, error) {
	if _, err := tenant.FromContext(ctx); err != nil {
		return "", err
	}
	return kind + ":" + value, nil
}

type fakeKeys struct{ store *memStore }

func (k fakeKeys) Shred(_ context.Context, subject uuid.UUID) error {
	k.store.record("shred " + subject.String())
	return nil
}

// fakeUnique is an in-memory Uniqueness.
type fakeUnique struct {
	mu   sync.Mutex
	keys map[ukey]uuid.UUID
	// age is reported for existing claims.
	age time.Duration
}

type ukey struct {
	tenant    tenant.ID
	kind, key string
}

func newFakeUnique() *fakeUnique { return &fakeUnique{keys: map[ukey]uuid.UUID{}} }

func (u *fakeUnique) k(ctx context.Context, kind, key string) ukey {
	t, _ := tenant.FromContext(ctx)
	return ukey{t, kind, key}
}

func (u *fakeUnique) Claim(ctx context.Context, kind, key string, owner uuid.UUID) (registry.Claim, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	k := u.k(ctx, kind, key)
	if h, ok := u.keys[k]; ok {
		return registry.Claim{Holder: h, Age: u.age}, nil
	}
	u.keys[k] = owner
	return registry.Claim{Holder: owner, Fresh: true}, nil
}

func (u *fakeUnique) Takeover(ctx context.Context, kind, key string, from, owner uuid.UUID) (bool, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	k := u.k(ctx, kind, key)
	if u.keys[k] != from {
		return false, nil
	}
	u.keys[k] = owner
	return true, nil
}

func (u *fakeUnique) Release(ctx context.Context, kind, key string, owner uuid.UUID) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if k := u.k(ctx, kind, key); u.keys[k] == owner {
		delete(u.keys, k)
	}
	return nil
}

func (u *fakeUnique) ReleaseOwner(ctx context.Context, kind string, owner uuid.UUID) error {
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

func (u *fakeUnique) holder(ctx context.Context, kind, key string) (uuid.UUID, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	h, ok := u.keys[u.k(ctx, kind, key)]
	return h, ok
}

// fakeAudit records entries; fail makes Record fail.
type fakeAudit struct {
	mu      sync.Mutex
	entries []registry.AuditEntry
	fail    error
}

func (a *fakeAudit) Record(_ context.Context, entries []registry.AuditEntry) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fail != nil {
		return a.fail
	}
	a.entries = append(a.entries, entries...)
	return nil
}

func (a *fakeAudit) List(context.Context, registry.AuditFilter, uuid.UUID, int) ([]registry.AuditEntry, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]registry.AuditEntry(nil), a.entries...), nil
}

// fakeReadModel serves canned views; withPII records what was asked.
type fakeReadModel struct {
	mu        sync.Mutex
	customers map[uuid.UUID]registry.Customer
	vehicles  map[uuid.UUID]registry.Vehicle
	askedPII  []bool
	lastQuery registry.SearchQuery
}

func newFakeReadModel() *fakeReadModel {
	return &fakeReadModel{customers: map[uuid.UUID]registry.Customer{}, vehicles: map[uuid.UUID]registry.Vehicle{}}
}

func (f *fakeReadModel) Customer(_ context.Context, id uuid.UUID, withPII bool) (registry.Customer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.askedPII = append(f.askedPII, withPII)
	c, ok := f.customers[id]
	if !ok {
		return c, fmt.Errorf("customer: %w", errs.ErrNotFound)
	}
	if !withPII {
		c.Contact = nil
	}
	return c, nil
}

func (f *fakeReadModel) CustomersByID(ctx context.Context, ids []uuid.UUID, withPII bool) ([]registry.Customer, error) {
	var out []registry.Customer
	for _, id := range ids {
		if c, err := f.Customer(ctx, id, withPII); err == nil {
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *fakeReadModel) Notes(context.Context, uuid.UUID) ([]registry.Note, error) { return nil, nil }
func (f *fakeReadModel) Consents(context.Context, uuid.UUID) ([]registry.Consent, error) {
	return nil, nil
}

func (f *fakeReadModel) Vehicle(_ context.Context, id uuid.UUID) (registry.Vehicle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.vehicles[id]
	if !ok {
		return v, fmt.Errorf("vehicle: %w", errs.ErrNotFound)
	}
	return v, nil
}

func (f *fakeReadModel) VehiclesOf(_ context.Context, customerID uuid.UUID) ([]registry.Vehicle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []registry.Vehicle
	for _, v := range f.vehicles {
		if v.CustomerID == customerID {
			out = append(out, v)
		}
	}
	return out, nil
}

func (f *fakeReadModel) VehiclesByID(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]registry.Vehicle, error) {
	out := map[uuid.UUID]registry.Vehicle{}
	for _, id := range ids {
		if v, err := f.Vehicle(ctx, id); err == nil {
			out[id] = v
		}
	}
	return out, nil
}

func (f *fakeReadModel) Readings(context.Context, uuid.UUID) ([]registry.OdometerReading, error) {
	return nil, nil
}

func (f *fakeReadModel) ServiceOrder(_ context.Context, id uuid.UUID) (registry.ServiceOrder, error) {
	return registry.ServiceOrder{}, fmt.Errorf("order %s: %w", id, errs.ErrNotFound)
}

func (f *fakeReadModel) ServiceOrders(context.Context, registry.OrderFilter, int64, int) ([]registry.ServiceOrder, error) {
	return nil, nil
}

func (f *fakeReadModel) SearchCustomers(_ context.Context, q registry.SearchQuery, _ uuid.UUID, _ int) ([]uuid.UUID, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastQuery = q
	var out []uuid.UUID
	for id := range f.customers {
		out = append(out, id)
	}
	return out, nil
}

// fixture is a Service over the fakes.
type fixture struct {
	svc    *registry.Service
	store  *memStore
	rm     *fakeReadModel
	unique *fakeUnique
	audit  *fakeAudit
	tenant tenant.ID
}

var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func newFixture() *fixture {
	store := newMemStore()
	f := &fixture{store: store, rm: newFakeReadModel(), unique: newFakeUnique(), audit: &fakeAudit{},
		tenant: tenant.MustParse(uuid.Must(uuid.NewV7()).String())}
	svc, err := registry.New(registry.Deps{
		Store: store, Numbers: store, SubjectKeys: fakeKeys{store: store}, Index: fakeIndex{},
		Customers: f.rm, Vehicles: f.rm, Orders: f.rm, Search: f.rm, Uniqueness: f.unique, Audit: f.audit,
		Clock: func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	f.svc = svc
	return f
}

// as returns a context of a principal with role in the fixture's workshop.
func (f *fixture) as(role authz.Role) context.Context {
	return principalCtx(f.tenant, authz.Principal{IdentityID: role.String() + "-1", Tenant: f.tenant, Role: role})
}

func principalCtx(t tenant.ID, p authz.Principal) context.Context {
	ctx := authz.WithPrincipal(tenant.WithTenant(context.Background(), t), p)
	return requestmeta.With(ctx, requestmeta.Meta{Actor: "staff:" + p.IdentityID})
}

var errBoom = errors.New("boom")
