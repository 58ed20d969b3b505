package booking_test

import (
	"context"
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/booking"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/internal/eventstoretest"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	domain "github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/domain/workshop"
)

// clock: Thursday 3 December 2026, 09:00 in São Paulo.
var clock = func() time.Time { return time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC) }

// monday8 is Monday 7 December 2026, 08:00 in São Paulo.
var monday8 = time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC)

// readModel replays the day streams of the store, as the projection would.
type readModel struct{ store *eventstoretest.MemStore }

func (r readModel) all(ctx context.Context) []booking.Appointment {
	t, _ := tenant.FromContext(ctx)
	var out []booking.Appointment
	for _, stream := range r.store.Streams() {
		if len(stream) == 0 || stream[0].Tenant != t || stream[0].Stream.Type != domain.DayStreamType {
			continue
		}
		d := domain.BlankDay(stream[0].Stream.ID)
		for _, rec := range stream {
			d.Apply(rec.Event)
		}
		for _, a := range d.Appointments() {
			out = append(out, booking.Appointment{ID: a.ID, CustomerID: a.CustomerID, VehicleID: a.VehicleID, Day: a.Day,
				Start: a.Start, End: a.End, Services: a.Services, Status: a.Status.String(), ServiceOrderID: a.ServiceOrderID})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

func (r readModel) Appointment(ctx context.Context, id uuid.UUID) (booking.Appointment, error) {
	for _, a := range r.all(ctx) {
		if a.ID == id {
			return a, nil
		}
	}
	return booking.Appointment{}, errs.ErrNotFound
}

func (r readModel) Appointments(ctx context.Context, f booking.Filter, limit int) ([]booking.Appointment, error) {
	var out []booking.Appointment
	for _, a := range r.all(ctx) {
		mine := f.CustomerIDs == nil
		for _, c := range f.CustomerIDs {
			mine = mine || c == a.CustomerID
		}
		if mine && (f.From.IsZero() || !a.Start.Before(f.From)) && (f.To.IsZero() || a.Start.Before(f.To)) &&
			(!f.HoldingBay || a.Status != "cancelled" && a.Status != "no_show") && len(out) < limit {
			out = append(out, a)
		}
	}
	return out, nil
}

type workshopsFake struct{}

func (workshopsFake) WorkshopByID(_ context.Context, id uuid.UUID) (workshops.WorkshopView, error) {
	var hours []workshop.BusinessHours
	for d := 0; d < 7; d++ {
		hours = append(hours, workshop.BusinessHours{Weekday: d, Opens: "08:00", Closes: "12:00"})
	}
	return workshops.WorkshopView{ID: id, Slug: "oficina", Name: "Oficina", Profile: workshop.ProfileData{
		TimeZone: "America/Sao_Paulo", BusinessHours: hours}}, nil
}

type ordersFake struct {
	mu     sync.Mutex
	opened []booking.Appointment
}

func (o *ordersFake) OpenForAppointment(_ context.Context, a booking.Appointment) (uuid.UUID, int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.opened = append(o.opened, a)
	return uuid.New(), int64(len(o.opened)), nil
}

type notifierFake struct {
	mu      sync.Mutex
	booked  int
	reminds int
}

func (n *notifierFake) Booked(context.Context, booking.Notice) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.booked++
	return nil
}

func (n *notifierFake) Remind(context.Context, booking.Notice) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.reminds++
	return nil
}

type fixture struct {
	store    *eventstoretest.MemStore
	uc       *booking.UseCases
	orders   *ordersFake
	notifier *notifierFake
	tenant   tenant.ID
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	f := fixture{store: eventstoretest.NewMemStore(), orders: &ordersFake{}, notifier: &notifierFake{}, tenant: tenant.MustParse(uuid.NewString())}
	f.uc = f.useCases(t)
	return f
}

// useCases builds another instance on the same store: another process.
func (f fixture) useCases(t *testing.T) *booking.UseCases {
	t.Helper()
	uc, err := booking.New(usecase.Base{Clock: clock}, booking.Deps{Store: f.store, Appointments: readModel{f.store},
		Workshops: workshopsFake{}, Orders: f.orders, Notifier: f.notifier})
	if err != nil {
		t.Fatal(err)
	}
	return uc
}

func (f fixture) staff(role authz.Role) context.Context {
	ctx := tenant.WithTenant(context.Background(), f.tenant)
	return authz.WithPrincipal(ctx, authz.Principal{Tenant: f.tenant, Role: role, IdentityID: "staff"})
}

func (f fixture) owner(customers ...uuid.UUID) context.Context {
	ctx := tenant.WithTenant(context.Background(), f.tenant)
	return authz.WithPrincipal(ctx, authz.Principal{Tenant: f.tenant, Role: authz.RoleCustomer, CustomerIDs: customers})
}

// car registers a vehicle of customer.
func (f fixture) car(t *testing.T, customer uuid.UUID, plate string) uuid.UUID {
	t.Helper()
	id := uuid.New()
	v, err := vehicle.Register(id, customer, vehicle.RegisterInput{Plate: plate, Make: "Fiat", Model: "Uno", Year: 2015}, clock())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Append(tenant.WithTenant(context.Background(), f.tenant), eventsourcing.StreamRef{Type: vehicle.StreamType, ID: id}, 0,
		v.Recorder().PopEvents()); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestBookAppointment_concurrentBookingsOfTheLastBayEndWithOneSuccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	other := f.useCases(t) // a second process on the same store
	ana := uuid.New()
	car := f.car(t, ana, "ABC1D23")
	const n = 20
	var wg sync.WaitGroup
	errsOut := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			uc := f.uc
			if i%2 == 1 {
				uc = other
			}
			_, errsOut[i] = uc.BookAppointment(f.owner(ana), booking.BookAppointmentInput{VehicleID: car.String(),
				Services: []string{"oil_change"}, Start: monday8.Format(time.RFC3339)})
		}(i)
	}
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errsOut {
		var ce *errs.ConflictError
		switch {
		case err == nil:
			ok++
		case errors.As(err, &ce) && ce.Code == domain.CodeSlotTaken:
			conflicts++
		default:
			t.Errorf("unexpected %v", err)
		}
	}
	if ok != 1 || conflicts != n-1 || f.notifier.booked != 1 {
		t.Fatalf("%d booked, %d conflicts, %d confirmations", ok, conflicts, f.notifier.booked)
	}
}

func TestBookAppointment_onlyTheOwnersVehicleAndAppointments(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ana, bia := uuid.New(), uuid.New()
	anasCar, biasCar := f.car(t, ana, "ABC1D23"), f.car(t, bia, "XYZ9K87")
	in := func(car uuid.UUID) booking.BookAppointmentInput {
		return booking.BookAppointmentInput{VehicleID: car.String(), Services: []string{"oil_change"}, Start: monday8.Format(time.RFC3339)}
	}
	if _, err := f.uc.BookAppointment(f.owner(ana), in(biasCar)); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("booking another customer's car: %v", err)
	}
	if _, err := f.uc.BookAppointment(f.staff(authz.RoleOwner), in(anasCar)); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("staff through the portal use case: %v", err)
	}
	a, err := f.uc.BookAppointment(f.owner(ana), in(anasCar))
	if err != nil {
		t.Fatal(err)
	}
	if a.End.Sub(a.Start) != time.Hour || a.Day != "2026-12-07" || a.Status != "booked" {
		t.Errorf("appointment %+v", a)
	}
	if _, err := f.uc.CancelMyAppointment(f.owner(bia), a.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("bia cancels ana's: %v", err)
	}
	if mine, _ := f.uc.MyAppointments(f.owner(bia)); len(mine) != 0 {
		t.Errorf("bia sees %v", mine)
	}
	if _, err := f.uc.ListAppointments(f.owner(ana), booking.ListAppointmentsInput{}); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("a car owner lists the calendar: %v", err)
	}
	c, err := f.uc.CancelMyAppointment(f.owner(ana), a.ID)
	if err != nil || c.Status != "cancelled" {
		t.Fatalf("cancel own: %v %+v", err, c)
	}
	if _, err := f.uc.CancelMyAppointment(f.owner(ana), a.ID); !errors.Is(err, errs.ErrIllegalTransition) {
		t.Errorf("cancel twice: %v", err)
	}
}

func TestChangeAppointmentStatus_arrivalOpensTheOrderOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ana := uuid.New()
	car := f.car(t, ana, "ABC1D23")
	a, err := f.uc.BookAppointment(f.owner(ana), booking.BookAppointmentInput{VehicleID: car.String(),
		Services: []string{"oil_change", "alignment_balancing"}, Start: monday8.Format(time.RFC3339), Note: "freio"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.uc.ChangeAppointmentStatus(f.staff(authz.RoleMechanic), booking.ChangeAppointmentStatusInput{ID: a.ID, Status: "arrived"}); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("mechanic: %v", err)
	}
	got, err := f.uc.ChangeAppointmentStatus(f.staff(authz.RoleAdvisor), booking.ChangeAppointmentStatusInput{ID: a.ID, Status: "arrived"})
	if err != nil || got.ServiceOrderID == uuid.Nil || got.ServiceOrderNumber != 1 {
		t.Fatalf("arrived: %v %+v", err, got)
	}
	if len(f.orders.opened) != 1 || f.orders.opened[0].VehicleID != car || len(f.orders.opened[0].Services) != 2 {
		t.Fatalf("orders opened %+v", f.orders.opened)
	}
	for _, s := range []string{"arrived", "no_show", "cancelled", "confirmed"} {
		if _, err := f.uc.ChangeAppointmentStatus(f.staff(authz.RoleOwner), booking.ChangeAppointmentStatusInput{ID: a.ID, Status: s}); !errors.Is(err, errs.ErrIllegalTransition) {
			t.Errorf("arrived → %s: %v", s, err)
		}
	}
	if len(f.orders.opened) != 1 {
		t.Errorf("a refused arrival opened another order")
	}
}

func TestFindSlots_settingsShapeTheSlots(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	owner := f.staff(authz.RoleOwner)
	if _, err := f.uc.UpdateSettings(owner, booking.UpdateSettingsInput{Bays: 2, SlotMinutes: 30,
		ServiceMinutes: map[string]int{"oil_change": 30, "alignment_balancing": 45}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.uc.UpdateSettings(f.staff(authz.RoleAdvisor), booking.UpdateSettingsInput{Bays: 2, SlotMinutes: 30}); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("advisor changed the settings: %v", err)
	}
	s, err := f.uc.GetSettings(owner)
	if err != nil || s.Bays != 2 || s.Version != 1 || s.ServiceMinutes["alignment_balancing"] != 45 {
		t.Fatalf("settings %+v %v", s, err)
	}
	slots, err := f.uc.FindSlots(f.owner(uuid.New()), booking.SlotQueryInput{Services: "oil_change,alignment_balancing", From: "2026-12-07", To: "2026-12-07"})
	if err != nil {
		t.Fatal(err)
	}
	// 75 minutes → 90; 08:00–12:00 on the half hour: 08:00 … 10:30.
	if len(slots) != 6 || !slots[0].Start.Equal(monday8) || slots[0].End.Sub(slots[0].Start) != 90*time.Minute {
		t.Fatalf("slots %v", slots)
	}
	if _, err := f.uc.FindSlots(f.owner(uuid.New()), booking.SlotQueryInput{Services: "warp_drive"}); err == nil {
		t.Error("unknown service accepted")
	}
}

func TestSendReminders_noLedgerNoop(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if n, err := f.uc.SendReminders(context.Background()); n != 0 || err != nil {
		t.Errorf("without a ledger: %d %v", n, err)
	}
}
