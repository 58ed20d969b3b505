// Package seed loads realistic Brazilian demo and load data: workshops with
// their owners (real Kratos identities), customers with valid CPFs/CNPJs,
// Mercosul and old plates, and years of service history.
package seed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/signup"
	"github.com/torquehq/torque/application/staff"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/infrastructure/readmodel"
	"github.com/torquehq/torque/internal/wiring"
)

// Demo account of `make run`.
const (
	DemoSlug     = "oficina-demo"
	DemoOwner    = "dono@oficina-demo.com.br"
	DemoPassword = "demo-torque-2026"
)

// ErrAlreadySeeded is returned when the demo workshop exists.
var ErrAlreadySeeded = errors.New("already seeded")

// ErrDemoAccountReplaced is returned when the demo workshop exists but the
// demo owner's Kratos identity is not its member any more: another database
// sharing the same Kratos re-created the demo accounts (or Kratos's data was
// reset alone). Logging in would show a workshop-less account.
var ErrDemoAccountReplaced = errors.New("the demo workshop exists, but its owner's account in Kratos was re-created elsewhere: run `make reset` and `make run` to start over")

// demoAccountsIntact answers ErrAlreadySeeded when the demo owner still
// belongs to the demo workshop, else ErrDemoAccountReplaced.
func demoAccountsIntact(ctx context.Context, sys *wiring.System) error {
	owner, err := sys.Ory.FindByEmail(ctx, "staff", DemoOwner)
	if err != nil {
		return ErrDemoAccountReplaced
	}
	ms, err := readmodel.NewMemberships(sys.Pool).MembershipsOf(ctx, owner.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.WorkshopSlug == DemoSlug {
			return ErrAlreadySeeded
		}
	}
	return ErrDemoAccountReplaced
}

// Options sizes the data.
type Options struct {
	// Workshops and Customers per workshop.
	Workshops, Customers int
	// Years of history before now (default 3).
	Years int
	// Seed makes the data reproducible.
	Seed uint64
	// Concurrency of the loaders (default 8).
	Concurrency int
	// Progress receives a progress bar (nil: none).
	Progress io.Writer
	// Prefix of the load workshops' slugs (default "carga": carga-0001...);
	// the owner of each is dono-<slug>@example.com in Kratos.
	Prefix string
}

// Demo seeds the demo workshop through the real use cases (so every read
// model, uniqueness key and audit path is exercised) with history dated over
// the past years.
func Demo(ctx context.Context, sys *wiring.System, customers int, progress io.Writer) error {
	if _, err := sys.Directory.WorkshopBySlug(ctx, DemoSlug); err == nil {
		return demoAccountsIntact(ctx, sys)
	}
	if id, err := sys.Ory.FindByEmail(ctx, "staff", DemoOwner); err == nil {
		// A previous stack kept the identity but lost the database: start over.
		_ = sys.Ory.Delete(ctx, id.ID)
	}
	res, err := sys.Signup.SignUpWorkshop(ctx, signup.Input{WorkshopName: "Oficina Demonstração", Slug: DemoSlug, Plan: "pro",
		OwnerName: "Rosa Demonstração", OwnerEmail: DemoOwner, OwnerPass: DemoPassword})
	if err != nil {
		return fmt.Errorf("demo workshop: %w", err)
	}
	owner, err := sys.Ory.FindByEmail(ctx, "staff", DemoOwner)
	if err != nil {
		return err
	}
	// The demo's addresses are Torque's own: verified, so the demo owner can
	// invite and the demo staff keep their passwords when invited.
	if err := sys.Ory.MarkVerified(ctx, owner.ID); err != nil {
		return err
	}
	wctx := principalCtx(ctx, res.Workshop.ID, owner.ID, authz.RoleOwner)
	for _, s := range []struct{ email, name, role string }{
		{"mecanico@oficina-demo.com.br", "Jorge Mecânico", "mechanic"},
		{"atendente@oficina-demo.com.br", "Paula Atendente", "advisor"},
	} {
		if id, err := sys.Ory.FindByEmail(ctx, "staff", s.email); err == nil {
			_ = sys.Ory.Delete(ctx, id.ID)
		}
		member, err := sys.Ory.CreateStaff(ctx, s.email, s.name, DemoPassword)
		if err != nil {
			return err
		}
		if err := sys.Ory.MarkVerified(ctx, member.ID); err != nil {
			return err
		}
		if _, err := sys.Staff.InviteStaff(wctx, staff.InviteInput{Name: s.name, Email: s.email, Role: s.role}); err != nil {
			return err
		}
	}
	g := gen{rand.New(rand.NewPCG(2026, 11))}
	bar := newBar(progress, "demo customers", customers)
	clock := &fakeClock{}
	rec, err := sys.NewRecords(clock.Now)
	if err != nil {
		return err
	}
	for i := 0; i < customers; i++ {
		if err := demoCustomer(wctx, rec, clock, g, i); err != nil {
			return fmt.Errorf("demo customer %d: %w", i, err)
		}
		bar.add(1)
	}
	bar.done()
	return nil
}

type fakeClock struct{ t atomic.Int64 }

func (c *fakeClock) Now() time.Time  { return time.Unix(0, c.t.Load()).UTC() }
func (c *fakeClock) set(t time.Time) { c.t.Store(t.UnixNano()) }

func principalCtx(ctx context.Context, workshopID uuid.UUID, identityID string, role authz.Role) context.Context {
	tid, _ := tenant.FromUUID(workshopID)
	ctx = tenant.WithTenant(ctx, tid)
	ctx = authz.WithPrincipal(ctx, authz.Principal{IdentityID: identityID, Tenant: tid, Role: role})
	return requestmeta.With(ctx, requestmeta.Meta{Actor: "staff:" + identityID, CorrelationID: uuid.Must(uuid.NewV7())})
}

func demoCustomer(ctx context.Context, rec *wiring.Records, clock *fakeClock, g gen, i int) error {
	now := time.Now().UTC()
	start := now.AddDate(-3, 0, 0).Add(time.Duration(g.r.Int64N(int64(2 * 365 * 24 * time.Hour))))
	clock.set(start)
	p := g.person(i)
	c, err := rec.Customers.RegisterCustomer(ctx, customer.RegisterInput{Name: p.name, Document: p.document, Email: p.email,
		Phones: customer.PhonesInput{Mobile: p.mobile, Landline: p.landline},
		Address: customer.AddressInput{Street: p.street, Number: p.number, Complement: p.complement, District: p.district,
			City: p.city.name, State: p.city.uf, PostalCode: p.cep},
		MarketingConsent: p.marketing, Source: "counter"})
	var conflict *errs.ConflictError
	if errors.As(err, &conflict) {
		return nil // a generated document collided: skip the person
	}
	if err != nil {
		return err
	}
	nVehicles := 1 + g.r.IntN(2)
	for v := 0; v < nVehicles; v++ {
		m := models[g.r.IntN(len(models))]
		year := 2006 + g.r.IntN(start.Year()-2006+2)
		km := int64((now.Year()-year)*12000 + g.r.IntN(5000))
		veh, err := rec.Vehicles.AddVehicle(ctx, vehicles.AddVehicleInput{CustomerID: c.ID, Vehicle: vehicle.RegisterInput{
			Plate: g.plate(year), Make: m.make, Model: m.model, Year: year, Color: g.pick(colors), MileageKm: &km}})
		if errors.As(err, &conflict) {
			continue
		}
		if err != nil {
			return err
		}
		t := start
		for o := 0; o < 1+g.r.IntN(4); o++ {
			t = t.Add(time.Duration(60+g.r.IntN(200)) * 24 * time.Hour)
			if t.After(now) {
				break
			}
			km += int64(3000 + g.r.IntN(9000))
			clock.set(t)
			items := []serviceorder.ItemInput{}
			for k := 0; k < 1+g.r.IntN(3); k++ {
				s := g.service()
				items = append(items, serviceorder.ItemInput{Service: s.code, Description: s.description, Quantity: 1, UnitPriceCents: g.price(s)})
			}
			mileage := km
			order, err := rec.ServiceOrders.OpenServiceOrder(ctx, serviceorders.OpenServiceOrderInput{Order: serviceorder.OpenInput{
				CustomerID: c.ID.String(), VehicleID: veh.ID.String(), MileageKm: &mileage,
				Description: "Revisão e manutenção", Items: items}})
			if err != nil {
				return err
			}
			recent := now.Sub(t) < 10*24*time.Hour
			steps := []string{"in_progress", "completed", "delivered"}
			if g.r.IntN(20) == 0 {
				steps = []string{"cancelled"}
			} else if recent {
				steps = steps[:g.r.IntN(3)]
			}
			for _, st := range steps {
				t = t.Add(time.Duration(2+g.r.IntN(30)) * time.Hour)
				clock.set(t)
				if _, err := rec.ServiceOrders.ChangeServiceOrderStatus(ctx, serviceorders.ChangeStatusInput{OrderID: order.ID, Status: st}); err != nil {
					return err
				}
			}
		}
	}
	if g.r.IntN(4) == 0 {
		clock.set(now)
		if _, err := rec.Customers.AddNote(ctx, customers.AddNoteInput{CustomerID: c.ID,
			Text: g.pick([]string{"Prefere ser atendido pela manhã.", "Cliente pede orçamento antes de qualquer serviço.",
				"Sempre pergunta pelo Jorge.", "Pagamento no Pix."})}); err != nil {
			return err
		}
	}
	return nil
}

// bar is a small textual progress bar.
type bar struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	total int
	n     int
	start time.Time
	last  time.Time
	// extra, when set, adds to the line (e.g. events written so far).
	extra func() string
}

func newBar(w io.Writer, label string, total int) *bar {
	return &bar{w: w, label: label, total: total, start: time.Now()}
}

func (b *bar) add(n int) {
	if b == nil || b.w == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n += n
	if time.Since(b.last) < 200*time.Millisecond && b.n < b.total {
		return
	}
	b.last = time.Now()
	b.render()
}

func (b *bar) render() {
	const width = 30
	filled := 0
	if b.total > 0 {
		filled = min(b.n*width/b.total, width)
	}
	rate := float64(b.n) / max(time.Since(b.start).Seconds(), 0.001)
	extra := ""
	if b.extra != nil {
		extra = b.extra()
	}
	fmt.Fprintf(b.w, "\r%s [%s%s] %d/%d (%.0f/s)%s %s", b.label, repeat("=", filled), repeat(" ", width-filled), b.n, b.total, rate,
		extra, time.Since(b.start).Round(time.Second))
}

func (b *bar) done() {
	if b == nil || b.w == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.render()
	fmt.Fprintln(b.w)
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}
