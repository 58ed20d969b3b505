package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

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
	"github.com/torquehq/torque/internal/wiring"
)

// LoadReport says what Load wrote.
type LoadReport struct {
	Workshops, Customers, Vehicles, Orders, Events int
	// Skipped counts the workshops that were already loaded (left as they are).
	Skipped int
	Elapsed time.Duration
}

// SeedActor is the actor of every loaded event.
const SeedActor = "system:seed"

// Load writes load-test data for benchmarks: workshops carga-0001... with
// real owner identities (password DemoPassword), created through the signup
// use case, and per workshop the customers, vehicles and years of service
// orders. The records are built by the domain aggregates and encoded by the
// real codec (personal fields sealed under each customer's own key), then
// written in bulk: per workshop one transaction COPYs its events, its unique
// keys (blind indexes of CPF/CNPJ and plate) and moves its gapless order
// number to the last one used, so a workshop is loaded completely or not at
// all, and a workshop already loaded is skipped (a second run resumes).
//
// The same transaction applies the workshop's events to every read model
// and appends their analytics facts (see project). The loaded events get no
// Watermill messages, so the live consumer groups (projections and their
// side effects, such as the messages that status changes send) never see
// them; Project then moves the groups past the load. Each event's
// occurred_at is the moment it happened in the generated history.
// WARNING: run it with no other writer on the database.
func Load(ctx context.Context, sys *wiring.System, opt Options) (LoadReport, error) {
	if opt.Concurrency <= 0 {
		opt.Concurrency = 4
	}
	if opt.Years == 0 {
		opt.Years = 3
	}
	started := time.Now()
	var rep LoadReport
	admin, err := postgres.Open(ctx, postgres.Config{URL: sys.Cfg.DatabaseAdminURL, MaxConns: int32(min(opt.Concurrency, 32) + 1)}) //nolint:gosec // bounded above
	if err != nil {
		return rep, fmt.Errorf("seed: maintenance database URL: %w", err)
	}
	defer admin.Close()
	if opt.Prefix == "" {
		opt.Prefix = "carga"
	}
	all, err := signupWorkshops(ctx, sys, opt.Prefix, opt.Workshops)
	if err != nil {
		return rep, err
	}
	bar := newBar(opt.Progress, "customers", opt.Workshops*opt.Customers)
	var mu sync.Mutex
	jobs := make(chan int)
	errc := make(chan error, opt.Concurrency)
	var events atomic.Int64
	bar.extra = func() string { return fmt.Sprintf(" %d events", events.Load()) }
	var wg sync.WaitGroup
	for k := 0; k < opt.Concurrency; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for w := range jobs {
				r, err := loadWorkshop(ctx, sys, admin, all[w], w, opt, bar, &events)
				if err != nil {
					errc <- fmt.Errorf("workshop %s: %w", all[w].Slug, err)
					return
				}
				mu.Lock()
				if r.Skipped > 0 {
					rep.Skipped++
				} else {
					rep.Workshops++
					rep.Customers += r.Customers
					rep.Vehicles += r.Vehicles
					rep.Orders += r.Orders
					rep.Events += r.Events
				}
				mu.Unlock()
			}
		}()
	}
	var ferr error
feed:
	for w := range all {
		select {
		case jobs <- w:
		case ferr = <-errc:
			break feed
		case <-ctx.Done():
			ferr = ctx.Err()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if ferr == nil {
		select {
		case ferr = <-errc:
		default:
		}
	}
	bar.done()
	rep.Elapsed = time.Since(started)
	return rep, ferr
}

// signupWorkshops creates (or finds) <prefix>-0001... through the signup use
// case, with the projection worker running: signup waits for its read model.
func signupWorkshops(ctx context.Context, sys *wiring.System, prefix string, n int) ([]workshops.WorkshopView, error) {
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
		slug := fmt.Sprintf("%s-%04d", prefix, w)
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
			// Load owners' addresses are Torque's own (example.com): verified,
			// so benchmarks and tests can invite staff with them.
			owner, err := sys.Ory.FindByEmail(ctx, "staff", email)
			if err == nil {
				err = sys.Ory.MarkVerified(ctx, owner.ID)
			}
			if err != nil {
				return nil, fmt.Errorf("workshop %s: verify the owner: %w", slug, err)
			}
			ws = res.Workshop
		}
		out = append(out, ws)
	}
	return out, nil
}

var eventColumns = []string{"tenant_id", "stream_id", "version", "stream_type", "event_id", "type", "schema",
	"occurred_at", "actor", "correlation_id", "causation_id", "payload"}

// workshopLoad is one workshop's data on its way to the database.
type workshopLoad struct {
	sys     *wiring.System
	ctx     context.Context
	tid     tenant.ID
	corr    uuid.UUID
	catalog catalog.Catalog
	rows    [][]any
	recs    []eventsourcing.Recorded
	keys    [][]any
	claimed map[string]bool
	number  int64
	out     LoadReport
}

// record encodes the events of one stream, from version from+1, each at its
// moment, into COPY rows.
func (l *workshopLoad) record(stream string, id uuid.UUID, from int64, events []es.Event, at []time.Time) error {
	for i, e := range events {
		enc, err := l.sys.Codec.Encode(l.ctx, l.tid.String(), id.String(), e)
		if err != nil {
			return err
		}
		eventID, occurred := uuid.Must(uuid.NewV7()), at[i].UTC().Truncate(time.Microsecond)
		l.rows = append(l.rows, []any{l.tid.UUID(), id, from + int64(i) + 1, stream, eventID, enc.Type,
			int32(enc.Schema), occurred, SeedActor, l.corr, nil, []byte(enc.Payload)}) //nolint:gosec // schema versions are small
		// The event as the projections would read it back: the stored
		// row's fields, and the event itself, which the codec's round trip
		// returns unchanged (the test against a rebuild checks it).
		l.recs = append(l.recs, eventsourcing.Recorded{EventID: eventID, Tenant: l.tid,
			Stream: eventsourcing.StreamRef{Type: stream, ID: id}, Version: from + int64(i) + 1, Type: enc.Type,
			Schema: enc.Schema, OccurredAt: occurred, Actor: SeedActor, CorrelationID: l.corr, Event: e})
	}
	l.out.Events += len(events)
	return nil
}

// claim reserves a unique key (CPF/CNPJ or plate) for owner in this
// workshop, as uniquekeys would: false when another record holds it.
func (l *workshopLoad) claim(kind string, term func(string) (privacy.Term, bool), value string, owner uuid.UUID) (bool, error) {
	t, ok := term(value)
	if !ok {
		return true, nil
	}
	key, err := l.sys.Cipher.BlindIndexer().Index(l.ctx, t.Kind, t.Value)
	if err != nil {
		return false, err
	}
	if l.claimed[kind+"/"+key] {
		return false, nil
	}
	l.claimed[kind+"/"+key] = true
	l.keys = append(l.keys, []any{l.tid.UUID(), kind, key, owner})
	return true, nil
}

// timeline pairs each pending event of an aggregate with when it happened.
type timeline struct{ at []time.Time }

func (tl *timeline) mark(r *es.Recorder, at time.Time) {
	for len(tl.at) < len(r.Pending()) {
		tl.at = append(tl.at, at)
	}
}

const loadedSQL = `SELECT EXISTS (SELECT 1 FROM events WHERE tenant_id = $1 AND stream_type = 'customer' AND actor = $2)`

const lastNumberSQL = `SELECT coalesce((SELECT last_value FROM tenant_sequences WHERE tenant_id = $1 AND name = 'service_order'), 0)`

// setNumberSQL moves the gapless order number past the loaded orders, only
// if nobody took a number since the load read it.
const setNumberSQL = `
INSERT INTO tenant_sequences (tenant_id, name, last_value) VALUES ($1, 'service_order', $2)
ON CONFLICT (tenant_id, name) DO UPDATE SET last_value = EXCLUDED.last_value
 WHERE tenant_sequences.last_value = $3`

// chunk is how many customers share one round trip for their keys.
const chunk = 250

func loadWorkshop(ctx context.Context, sys *wiring.System, admin *pgxpool.Pool, ws workshops.WorkshopView, w int,
	opt Options, bar *bar, events *atomic.Int64) (LoadReport, error) {
	tid, err := tenant.FromUUID(ws.ID)
	if err != nil {
		return LoadReport{}, err
	}
	var loaded bool
	var first int64
	if err := admin.QueryRow(ctx, loadedSQL, ws.ID, SeedActor).Scan(&loaded); err != nil {
		return LoadReport{}, err
	}
	if loaded {
		bar.add(opt.Customers)
		return LoadReport{Skipped: 1}, nil
	}
	if err := admin.QueryRow(ctx, lastNumberSQL, ws.ID).Scan(&first); err != nil {
		return LoadReport{}, err
	}
	corr := uuid.Must(uuid.NewV7())
	l := &workshopLoad{sys: sys, tid: tid, corr: corr, catalog: catalog.Default(), claimed: map[string]bool{}, number: first,
		ctx: requestmeta.With(tenant.WithTenant(ctx, tid), requestmeta.Meta{Actor: SeedActor, CorrelationID: corr})}
	now := time.Now().UTC()
	for c0 := 0; c0 < opt.Customers; c0 += chunk {
		n := min(chunk, opt.Customers-c0)
		ids := make([]uuid.UUID, n)
		for i := range ids {
			ids[i] = uuid.Must(uuid.NewV7())
		}
		if err := sys.Cipher.PrepareSubjectKeys(l.ctx, tid, ids); err != nil {
			return l.out, err
		}
		before := l.out.Events
		for i := 0; i < n; i++ {
			g := gen{rand.New(rand.NewPCG(opt.Seed+uint64(w)+1, uint64(c0+i)))} //nolint:gosec // w and i count up from 0
			if err := l.customer(g, ids[i], w*1_000_000+c0+i, opt.Years, now); err != nil {
				return l.out, err
			}
		}
		events.Add(int64(l.out.Events - before))
		bar.add(n)
	}
	err = pgx.BeginFunc(ctx, admin, func(tx pgx.Tx) error {
		// A crash loses at most the last workshops' commits, which a rerun
		// loads again (a workshop is loaded whole or not at all).
		if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"events"}, eventColumns, pgx.CopyFromRows(l.rows)); err != nil {
			return fmt.Errorf("copy events: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"unique_keys"}, []string{"tenant_id", "kind", "key_hash", "owner_id"},
			pgx.CopyFromRows(l.keys)); err != nil {
			return fmt.Errorf("copy unique keys: %w", err)
		}
		if l.number > first {
			tag, err := tx.Exec(ctx, setNumberSQL, ws.ID, l.number, first)
			if err != nil {
				return err
			}
			if tag.RowsAffected() != 1 {
				return errors.New("an order was opened in the workshop during the load: run the seed with no other writer")
			}
		}
		return l.project(ctx, tx)
	})
	return l.out, err
}

// projectPage is how many events one batch of projection statements holds.
const projectPage = 5000

// project applies the workshop's events, still in memory, to every read
// model in the load's own transaction, through each projection's own Apply
// (what a rebuild would do with them, but without reading and decoding
// them back) on staging copies of its tables (see stage.go), then writes
// their analytics facts. The side-effect projections (SideEffects) skip
// the loaded history, as before.
func (l *workshopLoad) project(ctx context.Context, tx pgx.Tx) error {
	for _, p := range l.sys.Projections {
		if SideEffects[p.Name()] {
			continue
		}
		handled := map[string]bool{}
		for _, t := range p.Handles() {
			handled[t] = true
		}
		var recs []eventsourcing.Recorded
		for _, rec := range l.recs {
			if handled[rec.Type] {
				recs = append(recs, rec)
			}
		}
		if len(recs) == 0 {
			continue
		}
		tables, staged, err := stageTables(ctx, tx, p)
		if err != nil {
			return err
		}
		// Staging tables have only their primary key: with sequential scans
		// off, cached generic plans take it (planning every statement would
		// cost more than running it). On the real tables plan for the rows
		// as they are (see projection.CustomPlansSQL).
		mode := []string{projection.CustomPlansSQL, `SET LOCAL enable_seqscan = on`}
		if staged {
			mode = []string{`SET LOCAL plan_cache_mode = auto`, `SET LOCAL enable_seqscan = off`}
		}
		for _, sql := range mode {
			if _, err := tx.Exec(ctx, sql); err != nil {
				return err
			}
		}
		if staged {
			if err := stage(ctx, tx, tables); err != nil {
				return fmt.Errorf("stage %s: %w", p.Name(), err)
			}
		}
		if err := projection.ApplyInTx(ctx, tx, p, recs, projectPage); err != nil {
			return err
		}
		if staged {
			if err := flush(ctx, tx, tables); err != nil {
				return fmt.Errorf("flush %s: %w", p.Name(), err)
			}
		}
	}
	// The facts go in last, just before the commit: a failure before them
	// rolls the workshop back; a failed commit after them leaves facts that
	// the rerun writes again, the same rows by key.
	if l.sys.Analytics != nil {
		if err := l.sys.Analytics.Projector.Append(ctx, l.recs); err != nil {
			return fmt.Errorf("analytics facts: %w", err)
		}
	}
	return nil
}

func (l *workshopLoad) customer(g gen, cid uuid.UUID, i, years int, now time.Time) error {
	start := now.AddDate(-years, 0, 0).Add(time.Duration(g.r.Int64N(int64(365 * 24 * time.Hour))))
	p := g.person(i)
	if p.document != "" {
		if ok, err := l.claim(uniquekeys.Document, privacy.DocumentTerm, p.document, cid); err != nil {
			return err
		} else if !ok {
			p.document = "" // collision with a generated document: keep the person without one
		}
	}
	c, err := customer.Register(cid, customer.RegisterInput{Name: p.name, Document: p.document, Email: p.email,
		Phones: customer.PhonesInput{Mobile: p.mobile, Landline: p.landline},
		Address: customer.AddressInput{Street: p.street, Number: p.number, Complement: p.complement, District: p.district,
			City: p.city.name, State: p.city.uf, PostalCode: p.cep},
		MarketingConsent: p.marketing, Source: "counter"}, start)
	if err != nil {
		return err
	}
	var ct timeline
	ct.mark(c.Recorder(), start)
	if err := l.record(customer.StreamType, cid, 0, c.Recorder().Pending(), ct.at); err != nil {
		return err
	}
	l.out.Customers++
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
		if ok, err := l.claim(uniquekeys.Plate, privacy.PlateTerm, plate, vid); err != nil {
			return err
		} else if !ok {
			continue
		}
		veh, err := vehicle.Register(vid, cid, vehicle.RegisterInput{Plate: plate, Make: m.make, Model: m.model, Year: year,
			Color: g.pick(colors), MileageKm: &km}, start)
		if err != nil {
			return err
		}
		var vt timeline
		vt.mark(veh.Recorder(), start)
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
				return err
			}
			vt.mark(veh.Recorder(), t)
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
		if err := l.record(vehicle.StreamType, vid, 0, veh.Recorder().Pending(), vt.at); err != nil {
			return err
		}
		l.out.Vehicles++
		for _, po := range plan {
			oid := uuid.Must(uuid.NewV7())
			l.number++
			km := po.km
			o, err := serviceorder.Open(oid, l.number, serviceorder.OpenInput{CustomerID: cid.String(), VehicleID: vid.String(),
				MileageKm: &km, Description: "Revisão e manutenção", Items: po.items}, l.catalog, po.at)
			if err != nil {
				return err
			}
			var ot timeline
			ot.mark(o.Recorder(), po.at)
			at := po.at
			for _, st := range po.steps {
				at = at.Add(time.Duration(2+g.r.IntN(30)) * time.Hour)
				if at.After(now) {
					at = now
				}
				if err := o.ChangeStatus(st, "", at); err != nil {
					return err
				}
				ot.mark(o.Recorder(), at)
			}
			if err := l.record(serviceorder.StreamType, oid, 0, o.Recorder().Pending(), ot.at); err != nil {
				return err
			}
			l.out.Orders++
		}
	}
	return nil
}
