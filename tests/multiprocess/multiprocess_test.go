// Package multiprocess_test runs Torque as production may: several API
// processes (`serve --with-worker=false`) and several workers (`worker`) on one
// database (issue 15 item 8).
package multiprocess_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/torquehq/torque/internal/syncbuf"

	"github.com/torquehq/torque/infrastructure/clickhouse/chtest"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
	"github.com/torquehq/torque/internal/e2e"
)

// proc is one running torque process.
type proc struct {
	name string
	cmd  *exec.Cmd
	url  string // its HTTP listener
	log  *syncbuf.Buffer
	done chan struct{}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String()
}

// buildTorque builds cmd/torque once for the test.
func buildTorque(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "torque")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/torquehq/torque/cmd/torque").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func getenv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func start(t *testing.T, bin string, env []string, name string, args ...string) *proc {
	t.Helper()
	addr := freeAddr(t)
	p := &proc{name: name, url: "http://" + addr, log: &syncbuf.Buffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...) //nolint:gosec // the binary this test just built
	p.cmd.Env = append(append([]string{}, env...), "TORQUE_HTTP_ADDR="+addr, "TORQUE_PUBLIC_URL="+p.url,
		"TORQUE_WORKER_HTTP_ADDR="+addr)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(20 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("%s log (tail):\n%s", name, tail(p.log.String(), 30))
		}
	})
	return p
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func (p *proc) waitReady(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("%s exited: %s", p.name, tail(p.log.String(), 20))
		default:
		}
		resp, err := http.Get(p.url + path) //nolint:noctx // a probe with the client's timeout
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s not ready at %s: %s", p.name, path, tail(p.log.String(), 20))
}

// handledPerGroup sums, over the workers, the messages each projection's
// consumer group handled successfully (Watermill's handler metric).
func handledPerGroup(t *testing.T, workers []*proc) (map[string]int64, []map[string]int64) {
	t.Helper()
	re := regexp.MustCompile(`^torque_watermill_handler_execution_time_seconds_count\{handler_name="([^"]+)",success="true"\} (\d+)`)
	total := map[string]int64{}
	var per []map[string]int64
	for _, w := range workers {
		resp, err := http.Get(w.url + "/metrics") //nolint:noctx // a probe with the client's timeout
		if err != nil {
			t.Fatal(err)
		}
		mine := map[string]int64{}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				n, _ := strconv.ParseInt(m[2], 10, 64)
				total[m[1]] += n
				mine[m[1]] = n
			}
		}
		_ = resp.Body.Close()
		per = append(per, mine)
	}
	return total, per
}

func mustStatus(t *testing.T, r e2e.Response, want int, what string) map[string]any {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: %d %s (want %d)", what, r.Status, r.Body, want)
	}
	if h := r.Header.Get("Torque-Consistency"); h != "" {
		t.Fatalf("%s: the read models did not catch up in time (%s): a worker was not woken", what, h)
	}
	return r.JSON()
}

func canonical(t *testing.T, r e2e.Response) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

// Issue 15 item 8: two API processes and two workers on one database. Every
// write goes to one API and is read back at once from the other: the writing
// API waited for the read models (read-your-writes), which two separate worker
// processes keep, woken across processes by NOTIFY. Both APIs answer the
// same, and each consumer group handled each message exactly once in total.
func TestMultiProcess_TwoAPIsTwoWorkersIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: starts four torque processes")
	}
	db := pgtest.New(t)
	ch := chtest.New(t)
	bin := buildTorque(t)
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"TORQUE_ENV=local", "TORQUE_LOG_LEVEL=warn",
		"TORQUE_DATABASE_URL=" + db.AppURL, "TORQUE_DATABASE_ADMIN_URL=" + db.AdminURL,
		"TORQUE_DATABASE_MAX_CONNS=15",
		"TORQUE_CLICKHOUSE_ADDR=" + ch.Addr, "TORQUE_CLICKHOUSE_DATABASE=" + ch.Database,
		"TORQUE_KRATOS_PUBLIC_URL=" + getenv("TORQUE_KRATOS_PUBLIC_URL", "http://127.0.0.1:4433"),
		"TORQUE_KRATOS_ADMIN_URL=" + getenv("TORQUE_KRATOS_ADMIN_URL", "http://127.0.0.1:4434"),
		"TORQUE_SMTP_ADDR=" + getenv("TORQUE_SMTP_ADDR", "127.0.0.1:1025"),
		"TORQUE_STRIPE_API_URL=" + getenv("TORQUE_STRIPE_API_URL", "http://127.0.0.1:12111"),
		// A worker that is not woken waits 10 minutes: then every write below
		// answers "stale" after the consistency timeout and the test fails.
		"TORQUE_PROJECTION_IDLE_INTERVAL=10m", "TORQUE_CONSISTENCY_TIMEOUT=20s",
	}
	var workers, apis []*proc
	for i := range 2 {
		workers = append(workers, start(t, bin, env, fmt.Sprintf("worker-%d", i+1), "worker"))
		apis = append(apis, start(t, bin, env, fmt.Sprintf("api-%d", i+1), "serve", "--with-worker=false"))
	}
	for _, p := range workers {
		p.waitReady(t, "/healthz")
	}
	for _, p := range apis {
		p.waitReady(t, "/readyz")
	}
	a, b := &e2e.Env{URL: apis[0].url}, &e2e.Env{URL: apis[1].url}
	other := func(e *e2e.Env) *e2e.Env {
		if e == a {
			return b
		}
		return a
	}

	w := a.SignupUnverified(t, "basic")           // no invitations here; verifying needs the Kratos admin API the bare Env lacks
	tokB := b.Login(t, w.OwnerEmail, w.OwnerPass) // a session from one API works on the other
	tok := map[*e2e.Env]string{a: w.OwnerToken, b: tokB}
	ws := func(p string) string { return "/api/v1/workshops/" + w.Slug + p }

	// Customers, each written on one API and read at once on the other.
	var ids []string
	for i := range 6 {
		wr := []*e2e.Env{a, b}[i%2]
		rd := other(wr)
		u := e2e.Unique()
		name := fmt.Sprintf("Cliente Multi %d %s", i, u)
		c := mustStatus(t, wr.Do(t, http.MethodPost, ws("/customers"), tok[wr], map[string]any{"name": name}), 201, "create customer")
		id := c["id"].(string)
		ids = append(ids, id)
		got := mustStatus(t, rd.Do(t, http.MethodGet, ws("/customers/"+id), tok[rd], nil), 200, "read customer on the other API")
		if got["name"] != name {
			t.Fatalf("the other API shows %v, want %s", got["name"], name)
		}
		found := mustStatus(t, rd.Do(t, http.MethodGet, ws("/customers?q="+u), tok[rd], nil), 200, "search")
		if items, _ := found["items"].([]any); len(items) != 1 {
			t.Fatalf("search on the other API found %d customers, want 1", len(items))
		}
	}

	// Vehicles on B, orders on A, status changes alternating.
	for i, id := range ids[:4] {
		wr := []*e2e.Env{b, a}[i%2]
		plate := fmt.Sprintf("MPX%d%c%02d", i, 'A'+rune(i), i)
		v := mustStatus(t, wr.Do(t, http.MethodPost, ws("/customers/"+id+"/vehicles"), tok[wr],
			map[string]any{"plate": plate, "make": "Fiat", "model": "Uno", "year": 2010, "mileage_km": 1000 * (i + 1)}), 201, "add vehicle")
		rd := other(wr)
		got := mustStatus(t, rd.Do(t, http.MethodGet, ws("/customers/"+id), tok[rd], nil), 200, "customer 360 after vehicle")
		if vs, _ := got["vehicles"].([]any); len(vs) != 1 {
			t.Fatalf("customer 360 on the other API shows %d vehicles, want 1", len(vs))
		}
		o := mustStatus(t, rd.Do(t, http.MethodPost, ws("/service-orders"), tok[rd], map[string]any{
			"customer_id": id, "vehicle_id": v["id"], "mileage_km": 1000*(i+1) + 500, "description": "Revisão",
			"items": []map[string]any{{"service": "oil_change", "description": "Troca de óleo", "quantity": 1, "unit_price_cents": 18000}},
		}), 201, "open order")
		for j, st := range []string{"in_progress", "completed"} {
			e := []*e2e.Env{wr, rd}[j%2]
			r := mustStatus(t, e.Do(t, http.MethodPost, ws("/service-orders/"+o["id"].(string)+"/status"), tok[e],
				map[string]string{"status": st}), 200, "status "+st)
			if r["status"] != st {
				t.Fatalf("status %v, want %s", r["status"], st)
			}
		}
		hist := mustStatus(t, wr.Do(t, http.MethodGet, ws("/customers/"+id+"/history"), tok[wr], nil), 200, "history")
		if items, _ := hist["items"].([]any); len(items) != 1 || items[0].(map[string]any)["status"] != "completed" {
			t.Fatalf("history on the API that did not complete the order: %v", hist["items"])
		}
	}

	// Both APIs answer the same for every read.
	reads := []string{ws("/service-orders?limit=100"), ws("/service-orders?status=completed&limit=100"), ws("/customers?q=Multi")}
	for _, id := range ids {
		reads = append(reads, ws("/customers/"+id), ws("/customers/"+id+"/history"))
	}
	for _, path := range reads {
		ra, rb := a.Do(t, http.MethodGet, path, tok[a], nil), b.Do(t, http.MethodGet, path, tok[b], nil)
		if ra.Status != http.StatusOK || rb.Status != http.StatusOK {
			t.Fatalf("GET %s: %d / %d", path, ra.Status, rb.Status)
		}
		if ca, cb := canonical(t, ra), canonical(t, rb); ca != cb {
			t.Errorf("GET %s differs between the APIs:\n%s\n%s", path, ca, cb)
		}
	}

	// Each consumer group handled every published message exactly once
	// across the two workers: no message was processed by both.
	var published int64
	if err := db.Admin.QueryRow(context.Background(), `SELECT count(*) FROM "watermill_events"`).Scan(&published); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		total, per := handledPerGroup(t, workers)
		done := len(total) > 0
		for group, n := range total {
			if n > published {
				t.Fatalf("group %s handled %d messages of %d published: duplicate work (per worker %v)", group, n, published, per)
			}
			done = done && n == published
		}
		if done {
			t.Logf("%d messages; handled per worker: %v", published, per)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s the groups handled %v of %d messages", total, published)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if n := db.Count(t, `SELECT count(*) FROM projection_poison`); n != 0 {
		t.Fatalf("%d events poisoned", n)
	}
}
