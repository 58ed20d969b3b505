package reminders_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/internal/eventstoretest"
	"github.com/torquehq/torque/application/reminders"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/maintenance"
	"github.com/torquehq/torque/domain/tenant"
)

var now = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// fakeDue is an in-memory DueStore: candidates are fixed; pending is what
// the test says the (lagging) read model shows.
type fakeDue struct {
	candidates  []reminders.Candidate
	pending     []reminders.Pending
	lastSent    map[uuid.UUID]time.Time
	conversions []reminders.Conversion
}

func (f *fakeDue) RecomputeDirty(context.Context, int, func(reminders.History) []maintenance.Due) (int, error) {
	return 0, nil
}
func (f *fakeDue) List(context.Context, reminders.ListQuery) ([]reminders.Item, error) {
	return nil, nil
}
func (f *fakeDue) DueOf(_ context.Context, v uuid.UUID, s string) (reminders.Item, error) {
	for _, c := range f.candidates {
		if c.VehicleID == v && c.Service == s {
			return c.Item, nil
		}
	}
	return reminders.Item{}, errs.ErrNotFound
}
func (f *fakeDue) VehicleExists(context.Context, uuid.UUID) (bool, error) { return false, nil }
func (f *fakeDue) Candidates(_ context.Context, from, before time.Time, _ int) ([]reminders.Candidate, error) {
	var out []reminders.Candidate
	for _, c := range f.candidates {
		if !c.DueAt.Before(from) && c.DueAt.Before(before) && c.Frequency != reminders.FrequencyNever {
			out = append(out, c)
		}
	}
	return out, nil
}
func (f *fakeDue) Pending(context.Context, int) ([]reminders.Pending, error) { return f.pending, nil }
func (f *fakeDue) LastSentTo(_ context.Context, id uuid.UUID) (time.Time, bool, error) {
	t, ok := f.lastSent[id]
	return t, ok, nil
}
func (f *fakeDue) Conversions(context.Context, time.Duration, int) ([]reminders.Conversion, error) {
	return f.conversions, nil
}

type fakeTenants struct{ ids []uuid.UUID }

func (f fakeTenants) Workshops(context.Context) ([]uuid.UUID, error) { return f.ids, nil }
func (f fakeTenants) Exclusively(ctx context.Context, _ string, fn func(context.Context) error) (bool, error) {
	return true, fn(ctx)
}

type fakeCatalogs struct{}

func (fakeCatalogs) Catalog(context.Context) (catalog.Catalog, error) { return catalog.Default(), nil }

type fakeNotifier struct {
	mu      sync.Mutex
	notices []reminders.Notice
	err     error
}

func (n *fakeNotifier) Notify(_ context.Context, notice reminders.Notice) (string, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.err != nil {
		return "", n.err
	}
	n.notices = append(n.notices, notice)
	return "email", nil
}

type fixture struct {
	uc       *reminders.UseCases
	store    *eventstoretest.MemStore
	due      *fakeDue
	notifier *fakeNotifier
	tenant   tenant.ID
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	tid, _ := tenant.FromUUID(uuid.New())
	f := &fixture{store: eventstoretest.NewMemStore(), due: &fakeDue{lastSent: map[uuid.UUID]time.Time{}},
		notifier: &fakeNotifier{}, tenant: tid}
	uc, err := reminders.New(usecase.Base{Clock: func() time.Time { return now }}, reminders.Deps{
		Store: f.store, Due: f.due, Catalogs: fakeCatalogs{}, Notifier: f.notifier,
		Tenants: fakeTenants{ids: []uuid.UUID{tid.UUID()}},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.uc = uc
	return f
}

func candidate(customer uuid.UUID, service, freq string, dueIn time.Duration) reminders.Candidate {
	return reminders.Candidate{Frequency: freq, Item: reminders.Item{VehicleID: uuid.New(), CustomerID: customer,
		Service: service, Cycle: uuid.NewString() + "/1", DueAt: now.Add(dueIn).Truncate(24 * time.Hour), DueKm: 40_000, HasDueKm: true,
		Vehicle: "Fiat Argo 2021"}}
}

func (f *fixture) events(t *testing.T, typ string) int {
	t.Helper()
	n := 0
	for _, s := range f.store.Streams() {
		for _, r := range s {
			if r.Type == typ {
				n++
			}
		}
	}
	return n
}

func TestNew_namesMissingPorts(t *testing.T) {
	t.Parallel()
	_, err := reminders.New(usecase.Base{}, reminders.Deps{})
	for _, port := range []string{"Store", "Due", "Catalogs", "Notifier", "Tenants"} {
		if err == nil || !strings.Contains(err.Error(), port) {
			t.Errorf("error %v does not name %s", err, port)
		}
	}
}

func TestRunScheduler_eachDueSendsOnceWithinTheLeadTime(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ana := uuid.New()
	soon := candidate(ana, "oil_change", reminders.FrequencyEachDue, 5*24*time.Hour)
	later := candidate(ana, "tires", reminders.FrequencyEachDue, 60*24*time.Hour)       // beyond 14 days
	ancient := candidate(ana, "battery", reminders.FrequencyEachDue, -400*24*time.Hour) // beyond 180 days overdue
	f.due.candidates = []reminders.Candidate{soon, later, ancient}
	rep, err := f.uc.RunScheduler(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Due != 1 || rep.Sent != 1 || len(f.notifier.notices) != 1 {
		t.Fatalf("report %+v, notices %+v", rep, f.notifier.notices)
	}
	n := f.notifier.notices[0]
	if n.CustomerID != ana || n.WorkshopID != f.tenant.UUID() || len(n.Items) != 1 || n.Items[0].ServiceLabel != "Troca de óleo" {
		t.Fatalf("notice %+v", n)
	}
	// The read model has not caught up: the same candidate is offered again,
	// and the stream (derived from the cycle) refuses a second due.
	rep, err = f.uc.RunScheduler(context.Background())
	if err != nil || rep.Due != 0 || rep.Sent != 0 || len(f.notifier.notices) != 1 {
		t.Fatalf("second run %+v %v, notices %d", rep, err, len(f.notifier.notices))
	}
	if f.events(t, "maintenance.reminder_due.v1") != 1 || f.events(t, "maintenance.reminder_sent.v1") != 1 {
		t.Fatalf("events: %d due, %d sent", f.events(t, "maintenance.reminder_due.v1"), f.events(t, "maintenance.reminder_sent.v1"))
	}
}

func TestRunScheduler_frequencies(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	monthly, quarterly, never := uuid.New(), uuid.New(), uuid.New()
	m1 := candidate(monthly, "oil_change", reminders.FrequencyMonthly, 3*24*time.Hour)
	m2 := candidate(monthly, "air_filter", reminders.FrequencyMonthly, 10*24*time.Hour)
	q := candidate(quarterly, "oil_change", reminders.FrequencyQuarterly, 3*24*time.Hour)
	nv := candidate(never, "oil_change", reminders.FrequencyNever, 3*24*time.Hour)
	f.due.candidates = []reminders.Candidate{m1, m2, q, nv}
	// The quarterly customer got a digest 40 days ago: held back.
	f.due.lastSent[quarterly] = now.Add(-40 * 24 * time.Hour)
	rep, err := f.uc.RunScheduler(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Due != 3 || rep.Sent != 2 || rep.Waiting != 1 { // never: not even due
		t.Fatalf("report %+v", rep)
	}
	if len(f.notifier.notices) != 1 || f.notifier.notices[0].CustomerID != monthly || len(f.notifier.notices[0].Items) != 2 {
		t.Fatalf("want one monthly digest with two services, got %+v", f.notifier.notices)
	}
	if f.notifier.notices[0].Items[0].Service != "oil_change" {
		t.Errorf("digest not soonest first: %+v", f.notifier.notices[0].Items)
	}
	// 95 days after the last digest the quarterly one goes out (the read
	// model now lists it as pending).
	f.due.lastSent[quarterly] = now.Add(-95 * 24 * time.Hour)
	f.due.pending = []reminders.Pending{{ReminderID: maintenance.ReminderID(q.VehicleID, q.Service, q.Cycle), Item: q.Item, Frequency: q.Frequency}}
	if rep, err := f.uc.RunScheduler(context.Background()); err != nil || rep.Sent != 1 {
		t.Fatalf("quarterly run %+v %v", rep, err)
	}
}

func TestRunScheduler_failuresAreRetriedAndNoContactDismisses(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := candidate(uuid.New(), "oil_change", reminders.FrequencyEachDue, 24*time.Hour)
	f.due.candidates = []reminders.Candidate{c}
	f.notifier.err = errors.New("smtp: dial: connection refused")
	rep, err := f.uc.RunScheduler(context.Background())
	if err != nil || rep.Due != 1 || rep.Failed != 1 || rep.Sent != 0 {
		t.Fatalf("report %+v %v", rep, err)
	}
	// The mail server is back; the read model shows the reminder pending.
	f.notifier.err = nil
	f.due.pending = []reminders.Pending{{ReminderID: maintenance.ReminderID(c.VehicleID, c.Service, c.Cycle), Item: c.Item, Frequency: c.Frequency}}
	if rep, err := f.uc.RunScheduler(context.Background()); err != nil || rep.Sent != 1 || len(f.notifier.notices) != 1 {
		t.Fatalf("retry %+v %v", rep, err)
	}
	// Pending again (stale read model): the stream says sent, nothing repeats.
	if rep, err := f.uc.RunScheduler(context.Background()); err != nil || rep.Sent != 0 || len(f.notifier.notices) != 1 {
		t.Fatalf("stale pending %+v %v", rep, err)
	}

	g := newFixture(t)
	d := candidate(uuid.New(), "oil_change", reminders.FrequencyEachDue, 24*time.Hour)
	g.due.candidates = []reminders.Candidate{d}
	g.notifier.err = reminders.ErrNoContact
	if _, err := g.uc.RunScheduler(context.Background()); err != nil {
		t.Fatal(err)
	}
	if g.events(t, "maintenance.reminder_dismissed.v1") != 1 {
		t.Fatalf("a customer without contact: reminder not dismissed")
	}
}

func TestRunScheduler_conversion(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := candidate(uuid.New(), "oil_change", reminders.FrequencyEachDue, 24*time.Hour)
	f.due.candidates = []reminders.Candidate{c}
	if _, err := f.uc.RunScheduler(context.Background()); err != nil {
		t.Fatal(err)
	}
	id := maintenance.ReminderID(c.VehicleID, c.Service, c.Cycle)
	f.due.candidates = nil
	f.due.conversions = []reminders.Conversion{
		{ReminderID: id, OrderID: uuid.New(), OpenedAt: now.Add(40 * 24 * time.Hour)}, // outside 30 days: ignored
	}
	if rep, err := f.uc.RunScheduler(context.Background()); err != nil || rep.Converted != 0 {
		t.Fatalf("outside the window: %+v %v", rep, err)
	}
	f.due.conversions = []reminders.Conversion{{ReminderID: id, OrderID: uuid.New(), OpenedAt: now.Add(3 * 24 * time.Hour)}}
	if rep, err := f.uc.RunScheduler(context.Background()); err != nil || rep.Converted != 1 {
		t.Fatalf("within the window: %+v %v", rep, err)
	}
	if rep, err := f.uc.RunScheduler(context.Background()); err != nil || rep.Converted != 0 {
		t.Fatalf("converted twice: %+v %v", rep, err)
	}
	if f.events(t, "maintenance.reminder_converted.v1") != 1 {
		t.Fatal("want one converted event")
	}
}

func TestListAndDismiss_requirePermission(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := tenant.WithTenant(context.Background(), f.tenant)
	mech := authz.WithPrincipal(ctx, authz.Principal{Tenant: f.tenant, Role: authz.RoleMechanic})
	if _, err := f.uc.ListReminders(mech, reminders.ListInput{}); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("mechanic list: %v", err)
	}
	ro := authz.WithPrincipal(ctx, authz.Principal{Tenant: f.tenant, Role: authz.RoleOwner, ReadOnly: true})
	if _, err := f.uc.DismissReminder(ro, uuid.New(), "oil_change"); !errors.Is(err, errs.ErrReadOnly) {
		t.Errorf("read-only dismiss: %v", err)
	}
	owner := authz.WithPrincipal(ctx, authz.Principal{Tenant: f.tenant, Role: authz.RoleOwner, IdentityID: "id-1"})
	if _, err := f.uc.ListReminders(owner, reminders.ListInput{VehicleID: uuid.New()}); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("unknown vehicle: %v", err)
	}
	if _, err := f.uc.DismissReminder(owner, uuid.New(), "oil_change"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("dismiss without due point: %v", err)
	}
	// A dismissed cycle is never found due.
	c := candidate(uuid.New(), "oil_change", reminders.FrequencyEachDue, 24*time.Hour)
	f.due.candidates = []reminders.Candidate{c}
	if _, err := f.uc.DismissReminder(owner, c.VehicleID, "oil_change"); err != nil {
		t.Fatal(err)
	}
	if rep, err := f.uc.RunScheduler(context.Background()); err != nil || rep.Due != 0 || len(f.notifier.notices) != 0 {
		t.Fatalf("dismissed cycle scheduled: %+v %v", rep, err)
	}
}
