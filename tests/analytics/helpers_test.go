// Package analytics_test checks the ClickHouse reports against the same
// figures computed from the Postgres read models, on data written through
// the real event store (internal/seed), and the analytics projection's
// delivery guarantees (redelivery counts once, an outage delays and loses
// nothing).
package analytics_test

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/reports"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/clickhouse"
	"github.com/torquehq/torque/infrastructure/clickhouse/chtest"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/seed"
)

// world is a running Torque with two seeded workshops and analytics filled.
type world struct {
	env  *e2e.Env
	ch   clickhouse.Config
	shop [2]uuid.UUID
}

func newWorld(t *testing.T, customers int) *world {
	t.Helper()
	ch := chtest.New(t)
	opt := e2e.Options{NoWorker: true}
	opt.ClickHouse.Addr, opt.ClickHouse.Database = ch.Addr, ch.Database
	env := e2e.StartWith(t, opt)
	ctx := context.Background()
	if _, err := seed.Load(ctx, env.Sys, seed.Options{Workshops: 2, Customers: customers, Years: 2, Seed: 14, Concurrency: 2,
		// Not the default "carga": the load re-creates its owners in the shared
		// Kratos, which would orphan the registry benchmark's kept data set.
		Prefix: "analise"}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	// A rebuild applies only events below the oldest transaction still
	// running anywhere on the cluster (other tests' long transactions
	// included), and seed.Project then moves the consumers past the rest:
	// wait until every stored event is below that horizon.
	deadline := time.Now().Add(3 * time.Minute)
	for {
		var visible bool
		if err := env.DB.Admin.QueryRow(ctx, `SELECT coalesce(pg_snapshot_xmin(pg_current_snapshot()) > max(transaction_id), true) FROM events`).Scan(&visible); err != nil {
			t.Fatal(err)
		}
		if visible {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a long transaction elsewhere on the cluster holds the rebuild horizon back")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := seed.Project(ctx, env.Sys, env.Config.DatabaseAdminURL, seed.ProjectOptions{}); err != nil {
		t.Fatalf("project: %v", err)
	}
	w := &world{env: env, ch: ch}
	for i, slug := range []string{"analise-0001", "analise-0002"} {
		v, err := env.Sys.Directory.WorkshopBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		w.shop[i] = v.ID
	}
	return w
}

// as returns ctx acting as role in the workshop.
func as(workshopID uuid.UUID, role authz.Role) context.Context {
	tid, _ := tenant.FromUUID(workshopID)
	ctx := tenant.WithTenant(context.Background(), tid)
	return authz.WithPrincipal(ctx, authz.Principal{IdentityID: "test-" + role.String(), Tenant: tid, Role: role})
}

// sinceStart is a period covering all seeded history, and its instants.
func sinceStart() (reports.PeriodInput, time.Time, time.Time) {
	loc, _ := time.LoadLocation("America/Sao_Paulo")
	now := time.Now().In(loc)
	from := time.Date(now.Year()-3, now.Month(), 1, 0, 0, 0, 0, loc)
	to := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	return reports.PeriodInput{From: from.Format("2006-01-02"), To: now.Format("2006-01-02")}, from.UTC(), to.UTC()
}

// proxy is a TCP proxy that can be cut (an outage) and restored.
type proxy struct {
	t      *testing.T
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", p.target)
			if err != nil {
				_ = c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(u, c); _ = u.Close() }()
			go func() { _, _ = io.Copy(c, u); _ = c.Close() }()
		}
	}()
}

// cut closes the listener and every connection: ClickHouse is gone.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

// restore listens again on the same address.
func (p *proxy) restore() {
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		p.t.Fatalf("proxy restore: %v", err)
	}
	p.serve(ln)
}
