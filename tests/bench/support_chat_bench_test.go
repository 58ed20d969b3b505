package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/interfaces/httpapi"
	"github.com/torquehq/torque/internal/e2e"
)

// fanout is what one burst through a chat server measured.
type fanout struct {
	messages   int
	deliveries int
	elapsed    time.Duration
	p50, p99   time.Duration
}

func (f fanout) msgsPerSec() float64 { return float64(f.messages) / f.elapsed.Seconds() }

// receiver collects the arrival time of every bench message on one socket.
type receiver struct {
	c    *websocket.Conn
	mu   sync.Mutex
	seen map[string]time.Time
}

func (r *receiver) loop(ctx context.Context, done func()) {
	defer done()
	for {
		_, b, err := r.c.Read(ctx)
		if err != nil {
			return
		}
		now := time.Now()
		var f struct{ Type, Text string }
		if json.Unmarshal(b, &f) == nil && f.Type == "message" && strings.HasPrefix(f.Text, "bench ") {
			r.mu.Lock()
			r.seen[f.Text] = now
			r.mu.Unlock()
		}
	}
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

func dialWS(b *testing.B, url string) *websocket.Conn {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, res, err := websocket.Dial(ctx, url, nil)
	if res != nil && res.Body != nil {
		_ = res.Body.Close()
	}
	if err != nil {
		b.Fatalf("dial %s: %v", url, err)
	}
	c.SetReadLimit(1 << 20)
	return c
}

// window is how many messages the sender keeps in flight.
const window = 8

// burst connects `sockets` receivers to recvURL, sends n messages on a
// sender socket of sendURL (window in flight), and waits until every
// receiver has every message.
func burst(b *testing.B, sendURL, recvURL string, sockets, n int, frame func(i int) []byte, ready func() int) fanout {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	recv := make([]*receiver, sockets)
	for i := range recv {
		recv[i] = &receiver{c: dialWS(b, recvURL), seen: map[string]time.Time{}}
		wg.Add(1)
		go recv[i].loop(ctx, wg.Done)
	}
	sender := dialWS(b, sendURL)
	// Every socket is registered with its server before the first message.
	for wait := time.Now().Add(time.Minute); ready() < sockets+1; {
		if time.Now().After(wait) {
			b.Fatalf("only %d of %d sockets registered", ready(), sockets+1)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// The sender keeps `window` messages in flight: it sends message i once
	// its own copy of message i-window came back through the server (so the
	// load stays at what the server sustains and latencies are not queueing
	// behind a burst).
	echoed := make(chan struct{}, n)
	go func() {
		for {
			_, raw, err := sender.Read(ctx)
			if err != nil {
				return
			}
			var f struct{ Type, Text string }
			if json.Unmarshal(raw, &f) == nil && f.Type == "message" && strings.HasPrefix(f.Text, "bench ") {
				echoed <- struct{}{}
			}
		}
	}()
	sent := make([]time.Time, n)
	start := time.Now()
	for i := range n {
		if i >= window {
			select {
			case <-echoed:
			case <-time.After(2 * time.Minute):
				b.Fatalf("message %d never came back to its sender", i-window)
			}
		}
		sent[i] = time.Now()
		if err := sender.Write(ctx, websocket.MessageText, frame(i)); err != nil {
			b.Fatal(err)
		}
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		all := true
		for _, r := range recv {
			if r.count() < n {
				all = false
				break
			}
		}
		if all {
			break
		}
		if time.Now().After(deadline) {
			low := n
			for _, r := range recv {
				low = min(low, r.count())
			}
			b.Fatalf("%s: not every socket got every message in 2 minutes (the worst got %d of %d)", recvURL, low, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	var last time.Time
	lat := make([]time.Duration, 0, sockets*n)
	for _, r := range recv {
		r.mu.Lock()
		for i := range n {
			at := r.seen[fmt.Sprintf("bench %d", i)]
			lat = append(lat, at.Sub(sent[i]))
			if at.After(last) {
				last = at
			}
		}
		r.mu.Unlock()
	}
	cancel()
	for _, r := range recv {
		_ = r.c.CloseNow()
	}
	_ = sender.CloseNow()
	wg.Wait()
	slices.Sort(lat)
	return fanout{messages: n, deliveries: len(lat), elapsed: last.Sub(start),
		p50: lat[len(lat)/2], p99: lat[len(lat)*99/100]}
}

// bareServer is the baseline: a coder/websocket server that relays every
// frame of any socket to every socket, in memory, nothing stored, each
// socket written by its own goroutine (as Torque's sockets are).
func bareServer() (*httptest.Server, func() int) {
	var mu sync.Mutex
	conns := map[*websocket.Conn]chan []byte{}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(conns) }
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		out := make(chan []byte, 256)
		mu.Lock()
		conns[c] = out
		mu.Unlock()
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		go func() {
			for {
				select {
				case b := <-out:
					wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
					_ = c.Write(wctx, websocket.MessageText, b)
					wcancel()
				case <-ctx.Done():
					return
				}
			}
		}()
		defer func() { mu.Lock(); delete(conns, c); mu.Unlock() }()
		for {
			_, b, err := c.Read(ctx)
			if err != nil {
				return
			}
			mu.Lock()
			for _, o := range conns {
				select {
				case o <- b:
				default: // a slow socket drops frames; the burst then fails loudly
				}
			}
			mu.Unlock()
		}
	})), count
}

// BenchmarkChatFanout: 500 sockets in one workshop (499 staff inbox
// sockets and the car owner who writes), messages/s fully delivered and
// p99 delivery latency, beside a bare coder/websocket relay of the same
// frames in the same run. Torque stores each message (encrypted) before
// acknowledging it and fans it out through Postgres LISTEN/NOTIFY.
func BenchmarkChatFanout(b *testing.B) {
	sockets := envInt("TORQUE_BENCH_CHAT_SOCKETS", 500) - 1
	n := envInt("TORQUE_BENCH_CHAT_MESSAGES", 200)
	env := e2e.Start(b)
	w := env.Signup(b, "pro")
	var hours []map[string]any // always open: no out-of-hours tickets in the way
	for d := range 7 {
		hours = append(hours, map[string]any{"weekday": d, "opens": "00:00", "closes": "23:59"})
	}
	if r := env.Do(b, http.MethodPatch, "/api/v1/workshops/"+w.Slug, w.OwnerToken, map[string]any{"business_hours": hours}); r.Status != 200 {
		b.Fatalf("hours: %d %s", r.Status, r.Body)
	}
	c := env.Do(b, http.MethodPost, "/api/v1/workshops/"+w.Slug+"/customers", w.OwnerToken,
		`{"name":"Ana Lima","email":"ana@example.com","phones":{"mobile":"(21) 99876-5432"}}`)
	if c.Status != 201 {
		b.Fatalf("customer: %d %s", c.Status, c.Body)
	}
	customerID := uuid.MustParse(c.JSON()["id"].(string))
	tid := tenant.MustParse(w.ID)
	// The sockets are authorised at the upgrade by an injected principal
	// (the session middleware's work), with the rate limit lifted.
	h := env.Sys.SupportHandlers()
	h.Chat = &httpapi.ChatHandlers{Support: env.Sys.Support, Rate: 1e9, Burst: 1 << 30}
	r := chi.NewRouter()
	with := func(p authz.Principal) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
				ctx := authz.WithPrincipal(tenant.WithTenant(req.Context(), tid), p)
				next.ServeHTTP(rw, req.WithContext(ctx))
			})
		}
	}
	r.Route("/staff", func(r chi.Router) {
		r.Use(with(authz.Principal{Tenant: tid, Role: authz.RoleOwner, IdentityID: "bench"}))
		h.MountWorkshop(r)
	})
	r.Route("/portal", func(r chi.Router) {
		r.Use(with(authz.Principal{Tenant: tid, Role: authz.RoleCustomer, CustomerIDs: []uuid.UUID{customerID}}))
		h.MountPortal(r)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	bare, bareCount := bareServer()
	defer bare.Close()
	ws := "ws" + strings.TrimPrefix(srv.URL, "http")
	bws := "ws" + strings.TrimPrefix(bare.URL, "http")
	frame := func(i int) []byte {
		out, _ := json.Marshal(map[string]string{"type": "message", "text": fmt.Sprintf("bench %d", i)})
		return out
	}
	b.ResetTimer()
	for range b.N {
		t := burst(b, ws+"/portal/chat", ws+"/staff/chat", sockets, n, frame, env.Sys.ChatHub.Subscribers)
		bb := burst(b, bws, bws, sockets, n, frame, bareCount)
		b.ReportMetric(t.msgsPerSec(), "torque_msgs/s")
		b.ReportMetric(float64(t.deliveries)/t.elapsed.Seconds(), "torque_deliveries/s")
		b.ReportMetric(float64(t.p50.Microseconds())/1000, "torque_p50_ms")
		b.ReportMetric(float64(t.p99.Microseconds())/1000, "torque_p99_ms")
		b.ReportMetric(bb.msgsPerSec(), "bare_msgs/s")
		b.ReportMetric(float64(bb.p99.Microseconds())/1000, "bare_p99_ms")
		b.ReportMetric(t.msgsPerSec()/bb.msgsPerSec(), "ratio_msgs/s")
	}
}
