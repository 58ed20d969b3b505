package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/application/signup"
	"github.com/torquehq/torque/application/uniquekeys"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/projection"
	"github.com/torquehq/torque/infrastructure/readmodel"
	"github.com/torquehq/torque/internal/wiring"
)

// LoadReport says what Load wrote.
type LoadReport struct {
	Workshops, Customers, Vehicles, Orders, Events int
	Elapsed                                        time.Duration
}

// Load writes load-test data for benchmarks: workshops carga-0001... with
// real owner identities (password DemoPassword), and per workshop the
// customers, vehicles and years of service orders. It goes through the
// domain aggregates and the real event store (events, Watermill messages,
// encryption, gapless order numbers, uniqueness keys) but not through the
// use cases' read-your-writes waits; the read models are then rebuilt in
// bulk. WARNING: run it with no worker consuming, on a database nobody
// else writes to (the consumer groups are fast-forwarded past the load).
func Load(ctx context.Context, sys *wiring.System, opt Options) (LoadReport, error) {
	if opt.Concurrency == 0 {
		opt.Concurrency = 8
	}
	if opt.Years == 0 {
		opt.Years = 3
	}
	started := time.Now()
	var rep LoadReport
	var mu sync.Mutex
	workshops, err := signupWorkshops(ctx, sys, opt.Workshops)
	if err != nil {
		return rep, err
	}
	bar := newBar(opt.Progress, "customers", opt.Workshops*opt.Customers)
	for w, ws := range workshops {
		tid, _ := tenant.FromUUID(ws.ID)
		wctx := requestmeta.With(tenant.WithTenant(ctx, tid), requestmeta.Meta{Actor: "system:seed", CorrelationID: uuid.Must(uuid.NewV7())})
		jobs := make(chan int)
		errc := make(chan error, opt.Concurrency)
		var wg sync.WaitGroup
		for k := 0; k < opt.Concurrency; k++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l := newLoader(sys)
				for i := range jobs {
					g := gen{rand.New(rand.NewPCG(opt.Seed+uint64(w)+1, uint64(i)))} //nolint:gosec // w and i count up from 0
					r, err := l.customer(wctx, g, w*1_000_000+i, opt.Years)
					if err != nil {
						errc <- err
						return
					}
					mu.Lock()
					rep.Customers++
					rep.Vehicles += r.Vehicles
					rep.Orders += r.Orders
					rep.Events += r.Events
					mu.Unlock()
					bar.add(1)
				}
			}()
		}
	feed:
		for i := 0; i < opt.Customers; i++ {
			select {
			case jobs <- i:
			case err := <-errc:
				close(jobs)
				wg.Wait()
				return rep, err
			case <-ctx.Done():
				break feed
			}
		}
		close(jobs)
		wg.Wait()
		select {
		case err := <-errc:
			return rep, err
		default:
		}
		rep.Workshops++
	}
	bar.done()
	rep.Elapsed = time.Since(started)
	return rep, nil
}

// signupWorkshops creates (or finds) carga-0001... through the signup use
// case, with the projection worker running: signup waits for its read model.
func signupWorkshops(ctx context.Context, sys *wiring.System, n int) ([]workshops.WorkshopView, error) {
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- sys.RunWorker(wctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			sys.Log.Warn("seed: projection worker stopped", "err", err)
		}
	}()
	out := make([]workshops.WorkshopView, 0, n)
	for w := 1; w <= n; w++ {
		slug := fmt.Sprintf("carga-%04d", w)
		ws, err := sys.Directory.WorkshopBySlug(ctx, slug)
		if err != nil {
			email := fmt.Sprintf("dono-%s@example.com", slug)
			if id, ferr := sys.Ory.FindByEmail(ctx, "staff", email); ferr == nil {
				_ = sys.Ory.Delete(ctx, id.ID)
			}
			res, err := sys.Signup.SignUpWorkshop(ctx, signup.Input{WorkshopName: fmt.Sprintf("Auto Center Carga %04d", w),
				Slug: slug, Plan: "pro", OwnerName: "Dono " + slug, OwnerEmail: email, OwnerPass: DemoPassword})
			if err != nil {
				return nil, fmt.Errorf("workshop %s: %w", slug, err)
			}
			ws = res.Workshop
		}
		out = append(out, ws)
	}
	return out, nil
}

type loader struct {
	sys       *wiring.System
	customers *eventsourcing.Repository[*customer.Customer]
	vehicles  *eventsourcing.Repository[*vehicle.Vehicle]
	uniq      *readmodel.PostgresUniqueKeys
	catalog   catalog.Catalog
}

func newLoader(sys *wiring.System) *loader {
	return &loader{sys: sys, customers: eventsourcing.NewRepository(sys.Store, customer.StreamType, customer.Blank),
		vehicles: eventsourcing.NewRepository(sys.Store, vehicle.StreamType, vehicle.Blank),
		uniq:     readmodel.NewUniqueKeys(sys.Pool), catalog: catalog.Default()}
}

func (l *loader) claim(ctx context.Context, kind string, term func(string) (privacy.Term, bool), value string, owner uuid.UUID) (bool, error) {
	t, ok := term(value)
	if !ok {
		return true, nil
	}
	key, err := l.sys.Cipher.BlindIndexer().Index(ctx, t.Kind, t.Value)
	if err != nil {
		return false, err
	}
	c, err := l.uniq.Claim(ctx, kind, key, owner)
	if err != nil {
		return false, err
	}
	return c.Holder == owner, nil
}

type counts struct{ Vehicles, Orders, Events int }

func (l *loader) customer(ctx context.Context, g gen, i, years int) (counts, error) {
	var out counts
	now := time.Now().UTC()
	start := now.AddDate(-years, 0, 0).Add(time.Duration(g.r.Int64N(int64(365 * 24 * time.Hour))))
	p := g.person(i)
	cid := uuid.Must(uuid.NewV7())
	if p.document != "" {
		if ok, err := l.claim(ctx, uniquekeys.Document, privacy.DocumentTerm, p.document, cid); err != nil || !ok {
			p.document = "" // collision with a generated document: keep the person without one
			if err != nil {
				return out, err
			}
		}
	}
	c, err := customer.Register(cid, customer.RegisterInput{Name: p.name, Document: p.document, Email: p.email,
		Phones: customer.PhonesInput{Mobile: p.mobile, Landline: p.landline},
		Address: customer.AddressInput{Street: p.street, Number: p.number, Complement: p.complement, District: p.district,
			City: p.city.name, State: p.city.uf, PostalCode: p.cep},
		MarketingConsent: p.marketing, Source: "counter"}, start)
	if err != nil {
		return out, err
	}
	out.Events += len(c.Recorder().Pending())
	if _, err := l.customers.Create(ctx, cid, c); err != nil {
		return out, err
	}
	// ≈1.5 vehicles and ≈5 orders per customer.
	nVehicles := 1
	if g.r.IntN(2) == 0 {
		nVehicles = 2
	}
	for v := 0; v < nVehicles; v++ {
		m := models[g.r.IntN(len(models))]
		year := 2006 + g.r.IntN(start.Year()-2006+2)
		km := int64((now.Year()-year)*12000 + g.r.IntN(5000))
		vid := uuid.Must(uuid.NewV7())
		plate := g.plate(year)
		if ok, err := l.claim(ctx, uniquekeys.Plate, privacy.PlateTerm, plate, vid); err != nil || !ok {
			if err != nil {
				return out, err
			}
			continue
		}
		veh, err := vehicle.Register(vid, cid, vehicle.RegisterInput{Plate: plate, Make: m.make, Model: m.model, Year: year,
			Color: g.pick(colors), MileageKm: &km}, start)
		if err != nil {
			return out, err
		}
		type plannedOrder struct {
			at    time.Time
			km    int64
			items []serviceorder.ItemInput
			steps []string
		}
		var plan []plannedOrder
		t := start
		for o := 0; o < 5/nVehicles+g.r.IntN(2); o++ {
			t = t.Add(time.Duration(40+g.r.IntN(200)) * 24 * time.Hour)
			if t.After(now) {
				break
			}
			km += int64(3000 + g.r.IntN(9000))
			if err := veh.RecordMileage(km, t, "service_order", false); err != nil {
				return out, err
			}
			po := plannedOrder{at: t, km: km, steps: []string{"in_progress", "completed", "delivered"}}
			if g.r.IntN(20) == 0 {
				po.steps = []string{"cancelled"}
			} else if now.Sub(t) < 10*24*time.Hour {
				po.steps = po.steps[:g.r.IntN(3)]
			}
			for k := 0; k < 1+g.r.IntN(3); k++ {
				s := g.service()
				po.items = append(po.items, serviceorder.ItemInput{Service: s.code, Description: s.description, Quantity: 1, UnitPriceCents: g.price(s)})
			}
			plan = append(plan, po)
		}
		out.Events += len(veh.Recorder().Pending())
		if _, err := l.vehicles.Create(ctx, vid, veh); err != nil {
			return out, err
		}
		out.Vehicles++
		for _, po := range plan {
			oid := uuid.Must(uuid.NewV7())
			res, err := l.sys.Store.AppendNumbered(ctx, "service_order", eventsourcing.StreamRef{Type: serviceorder.StreamType, ID: oid}, 0,
				func(n int64) ([]es.Event, error) {
					km := po.km
					o, err := serviceorder.Open(oid, n, serviceorder.OpenInput{CustomerID: cid.String(), VehicleID: vid.String(),
						MileageKm: &km, Description: "Revisão e manutenção", Items: po.items}, l.catalog, po.at)
					if err != nil {
						return nil, err
					}
					at := po.at
					for _, st := range po.steps {
						at = at.Add(time.Duration(2+g.r.IntN(30)) * time.Hour)
						if err := o.ChangeStatus(st, "", at); err != nil {
							return nil, err
						}
					}
					return o.Recorder().PopEvents(), nil
				})
			if err != nil {
				return out, err
			}
			out.Orders++
			out.Events += len(res.Events)
		}
	}
	return out, nil
}

// Project rebuilds every read model from the event store in bulk and moves
// the consumer groups past everything loaded, so a worker started later does
// not replay the load one message at a time.
func Project(ctx context.Context, sys *wiring.System, adminURL string, progress func(name string, n int, d time.Duration)) error {
	admin, err := postgres.Open(ctx, postgres.Config{URL: adminURL, MaxConns: 4})
	if err != nil {
		return err
	}
	defer admin.Close()
	rb := projection.NewRebuilder(admin, sys.Codec)
	for _, p := range sys.Projections {
		start := time.Now()
		n, err := rb.Rebuild(ctx, p)
		if err != nil {
			return fmt.Errorf("rebuild %s: %w", p.Name(), err)
		}
		if progress != nil {
			progress(p.Name(), n, time.Since(start))
		}
	}
	if sys.Analytics != nil {
		start := time.Now()
		n, err := sys.Analytics.Projector.Rebuild(ctx, admin)
		if err != nil {
			return fmt.Errorf("rebuild analytics: %w", err)
		}
		if progress != nil {
			progress("analytics", n, time.Since(start))
		}
	}
	return projection.FastForward(ctx, admin, sys.Projections)
}
