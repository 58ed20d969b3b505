package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/interfaces/httpapi"

	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/wiring"
)

type frame struct {
	Type           string `json:"type"`
	ID             int64  `json:"id"`
	ConversationID string `json:"conversation_id"`
	CustomerID     string `json:"customer_id"`
	Author         string `json:"author"`
	Text           string `json:"text"`
	ClientID       string `json:"client_id"`
	Code           string `json:"code"`
}

type sock struct {
	t *testing.T
	c *websocket.Conn
}

func wsURL(base, path string) string { return "ws" + strings.TrimPrefix(base, "http") + path }

// dial opens a socket; token "" sends no Authorization (portal test server).
func dial(t *testing.T, base, path, token string, header ...string) (*sock, int, error) {
	t.Helper()
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, res, err := websocket.Dial(ctx, wsURL(base, path), &websocket.DialOptions{HTTPHeader: h})
	status := 0
	if res != nil {
		status = res.StatusCode
		if res.Body != nil {
			_ = res.Body.Close()
		}
	}
	if err != nil {
		return nil, status, err
	}
	s := &sock{t: t, c: c}
	t.Cleanup(func() { _ = c.CloseNow() })
	return s, status, nil
}

func mustDial(t *testing.T, base, path, token string) *sock {
	t.Helper()
	s, status, err := dial(t, base, path, token)
	if err != nil {
		t.Fatalf("dial %s: %v (%d)", path, err, status)
	}
	return s
}

func (s *sock) send(v any) {
	s.t.Helper()
	b, _ := json.Marshal(v)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.c.Write(ctx, websocket.MessageText, b); err != nil {
		s.t.Fatalf("write: %v", err)
	}
}

// next reads frames until match accepts one (30 s at most: generous for
// -race on busy cores; this is a deadline, not a timing assertion).
func (s *sock) next(match func(frame) bool) frame {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		_, b, err := s.c.Read(ctx)
		if err != nil {
			s.t.Fatalf("read: %v", err)
		}
		var f frame
		if err := json.Unmarshal(b, &f); err != nil {
			s.t.Fatalf("frame %s: %v", b, err)
		}
		if match(f) {
			return f
		}
	}
}

func text(want string) func(frame) bool {
	return func(f frame) bool { return f.Type == "message" && f.Text == want }
}

func ofType(typ, clientID string) func(frame) bool {
	return func(f frame) bool { return f.Type == typ && f.ClientID == clientID }
}

func chatHistory(t *testing.T, env *e2e.Env, w e2e.Workshop, conv string) []map[string]any {
	t.Helper()
	return items(t, mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/conversations/"+conv+"/messages?limit=200"), w.OwnerToken, nil), 200, "history"))
}

func TestSupportChat_DeliveryIsolationAndLimitsIntegration(t *testing.T) {
	f := newRegistryFixture(t)
	env, w := f.env, f.w
	portal := portalServer(t, env, w, f.customerID)
	chatPath := "/api/v1/portal/" + w.Slug + "/chat"

	staff := mustDial(t, env.URL, ws(w, "/chat"), w.OwnerToken)
	tab1 := mustDial(t, portal.URL, chatPath, "")
	tab2 := mustDial(t, portal.URL, chatPath, "")

	tab1.send(map[string]string{"type": "message", "text": "Meu carro já está pronto?", "client_id": "c1"})
	ack := tab1.next(ofType("ack", "c1"))
	if ack.ID == 0 || ack.ConversationID == "" {
		t.Fatalf("ack: %+v", ack)
	}
	conv := ack.ConversationID
	for name, s := range map[string]*sock{"staff": staff, "tab1": tab1, "tab2": tab2} {
		if m := s.next(text("Meu carro já está pronto?")); m.ConversationID != conv || m.Author != "customer" {
			t.Fatalf("%s got %+v", name, m)
		}
	}
	staff.send(map[string]string{"type": "message", "conversation_id": conv, "text": "Sim, pode buscar!", "client_id": "s1"})
	staff.next(ofType("ack", "s1"))
	tab2.next(text("Sim, pode buscar!"))

	// History and unread counts for staff.
	convs := items(t, mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/conversations"), w.OwnerToken, nil), 200, "conversations"))
	if len(convs) != 1 || convs[0]["id"] != conv || convs[0]["unread"].(float64) < 1 {
		t.Fatalf("conversations: %v", convs)
	}
	hist := chatHistory(t, env, w, conv)
	if len(hist) < 2 {
		t.Fatalf("history: %v", hist)
	}
	stored := len(hist)
	if c := items(t, mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/conversations"), w.OwnerToken, nil), 200, "conversations")); c[0]["unread"].(float64) != 0 {
		t.Fatalf("reading did not mark read: %v", c)
	}

	// Another customer of the workshop cannot write in (or read) this conversation.
	other := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), w.OwnerToken,
		`{"name":"Bruno Souza","email":"bruno@example.com","phones":{"mobile":"(11) 91234-5678"}}`), 201, "customer 2")
	intruder := mustDial(t, portalServer(t, env, w, other["id"].(string)).URL, chatPath, "")
	intruder.send(map[string]string{"type": "message", "conversation_id": conv, "text": "forjado", "client_id": "x1"})
	if e := intruder.next(ofType("error", "x1")); e.Code != "not_found" {
		t.Fatalf("forged conversation: %+v", e)
	}
	if r := supportPortalDo(t, portalServer(t, env, w, other["id"].(string)), http.MethodGet, "/api/v1/portal/"+w.Slug+"/conversations/"+conv+"/messages", ""); r.Status != 404 {
		t.Fatalf("intruder read history: %d", r.Status)
	}
	// Another workshop's staff cannot write into it either.
	w2 := env.Signup(t, "pro")
	staff2 := mustDial(t, env.URL, ws(w2, "/chat"), w2.OwnerToken)
	staff2.send(map[string]string{"type": "message", "conversation_id": conv, "text": "forjado 2", "client_id": "x2"})
	if e := staff2.next(ofType("error", "x2")); e.Code != "not_found" {
		t.Fatalf("other workshop: %+v", e)
	}
	if r := env.Do(t, http.MethodGet, ws(w2, "/conversations/"+conv+"/messages"), w2.OwnerToken, nil); r.Status != 404 {
		t.Fatalf("other workshop history: %d", r.Status)
	}
	if got := chatHistory(t, env, w, conv); len(got) != stored {
		t.Fatalf("a forged message was stored: %d → %d", stored, len(got))
	}
	for _, m := range chatHistory(t, env, w, conv) {
		if strings.Contains(fmt.Sprint(m["text"]), "forjado") {
			t.Fatal("forged text stored")
		}
	}

	// Bad frames answer an error frame, the socket stays open.
	tab1.send(map[string]any{"type": "message", "text": "", "client_id": "e1"})
	if e := tab1.next(ofType("error", "e1")); e.Code != "invalid" {
		t.Fatalf("empty text: %+v", e)
	}
	tab1.send(map[string]any{"type": "message", "text": "x", "bogus": 1})
	tab1.next(func(f frame) bool { return f.Type == "error" && f.Code == "bad_frame" })

	// A cross-origin upgrade is refused before any socket exists.
	if _, res, err := dial(t, env.URL, ws(w, "/chat"), w.OwnerToken, "Origin", "https://evil.example"); err == nil || res != http.StatusForbidden {
		t.Fatalf("cross-origin upgrade: %v %d", err, res)
	}
	// No session: 401 problem, no upgrade.
	if _, res, err := dial(t, env.URL, ws(w, "/chat"), ""); err == nil || res != http.StatusUnauthorized {
		t.Fatalf("anonymous upgrade: %v", err)
	}
	// A mechanic has no access to the chat.
	if _, res, err := dial(t, env.URL, ws(w, "/chat"), env.Staff(t, w, "mechanic")); err == nil || res != http.StatusForbidden {
		t.Fatalf("mechanic upgrade: %v", err)
	}

	// An oversized frame closes the socket with 1009.
	big := mustDial(t, portal.URL, chatPath, "")
	big.send(map[string]string{"type": "message", "text": strings.Repeat("a", 20<<10)})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	for err == nil {
		_, _, err = big.c.Read(ctx)
	}
	if st := websocket.CloseStatus(err); st != websocket.StatusMessageTooBig {
		t.Fatalf("oversized frame: close status %v (%v)", st, err)
	}

	// The per-socket rate limit answers rate_limited instead of storing.
	flood := mustDial(t, portal.URL, chatPath, "")
	for i := range 30 {
		flood.send(map[string]string{"type": "message", "text": fmt.Sprintf("spam %d", i), "client_id": fmt.Sprint("f", i)})
	}
	flood.next(func(f frame) bool { return f.Type == "error" && f.Code == "rate_limited" })
}

// startSecond builds another API process on env's database: its own
// wiring.System, listener and HTTP server.
func startSecond(t *testing.T, env *e2e.Env) (*httptest.Server, func()) {
	t.Helper()
	cfg := env.Config
	cfg.LogOutput = &e2e.LogBuffer{}
	sys, err := wiring.Build(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sys.Handler())
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			srv.CloseClientConnections()
			srv.Close()
			sys.Close()
		}
	}
	t.Cleanup(stop)
	return srv, stop
}

func TestSupportChat_TwoProcessesAndRestartLoseNothingIntegration(t *testing.T) {
	f := newRegistryFixture(t)
	env, w := f.env, f.w
	portal := portalServer(t, env, w, f.customerID)
	chatPath := "/api/v1/portal/" + w.Slug + "/chat"
	customer := mustDial(t, portal.URL, chatPath, "")

	// Process B: a staff member connected there hears a message sent to A.
	b, stopB := startSecond(t, env)
	staffB := mustDial(t, b.URL, ws(w, "/chat"), w.OwnerToken)
	customer.send(map[string]string{"type": "message", "text": "Olá do processo A", "client_id": "a1"})
	ack := customer.next(ofType("ack", "a1"))
	got := staffB.next(text("Olá do processo A"))
	if got.ConversationID != ack.ConversationID {
		t.Fatalf("staff on B: %+v", got)
	}
	// And the reverse: staff on B answers, the customer on A hears it.
	staffB.send(map[string]string{"type": "message", "conversation_id": ack.ConversationID, "text": "Resposta do B", "client_id": "b1"})
	customer.next(text("Resposta do B"))
	last := staffB.next(text("Resposta do B")).ID

	// B restarts; meanwhile the customer keeps writing on A.
	stopB()
	for i := range 3 {
		customer.send(map[string]string{"type": "message", "text": fmt.Sprintf("Enquanto B reinicia %d", i), "client_id": fmt.Sprint("r", i)})
		customer.next(ofType("ack", fmt.Sprint("r", i)))
	}
	b2, _ := startSecond(t, env)
	again := mustDial(t, b2.URL, ws(w, fmt.Sprintf("/chat?after=%d", last)), w.OwnerToken)
	for i := range 3 {
		again.next(text(fmt.Sprintf("Enquanto B reinicia %d", i)))
	}
	// Live delivery works on the new process too.
	customer.send(map[string]string{"type": "message", "text": "Depois do reinício", "client_id": "z"})
	again.next(text("Depois do reinício"))
}

func TestSupportChat_OutsideHoursBecomesATicketIntegration(t *testing.T) {
	f := newRegistryFixture(t)
	env, w := f.env, f.w
	// Open one minute a day: practically always closed.
	var hours []map[string]any
	for d := range 7 {
		hours = append(hours, map[string]any{"weekday": d, "opens": "00:00", "closes": "00:01"})
	}
	mustStatus(t, env.Do(t, http.MethodPatch, ws(w, ""), w.OwnerToken, map[string]any{"business_hours": hours}), 200, "hours")
	portal := portalServer(t, env, w, f.customerID)
	customer := mustDial(t, portal.URL, "/api/v1/portal/"+w.Slug+"/chat", "")
	customer.send(map[string]string{"type": "message", "text": "Vocês abrem amanhã?", "client_id": "n1"})
	customer.next(ofType("ack", "n1"))
	auto := customer.next(func(f frame) bool { return f.Type == "message" && f.Author == "system" })
	if !strings.Contains(auto.Text, "fora do horário") {
		t.Fatalf("automatic reply: %q", auto.Text)
	}
	tickets := items(t, mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/tickets"), w.OwnerToken, nil), 200, "tickets"))
	if len(tickets) != 1 || tickets[0]["source"] != "chat" {
		t.Fatalf("tickets: %v", tickets)
	}
	convs := items(t, mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/conversations"), w.OwnerToken, nil), 200, "conversations"))
	if convs[0]["ticket_id"] != tickets[0]["id"] {
		t.Fatalf("conversation not linked to its ticket: %v", convs)
	}
	// A second message joins the same ticket, without a second auto reply.
	customer.send(map[string]string{"type": "message", "text": "É sobre a revisão.", "client_id": "n2"})
	customer.next(ofType("ack", "n2"))
	tk := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/tickets/"+tickets[0]["id"].(string)), w.OwnerToken, nil), 200, "ticket")
	if msgs, _ := tk["messages"].([]any); len(msgs) != 2 {
		t.Fatalf("ticket messages: %v", tk["messages"])
	}
	if got := items(t, mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/tickets"), w.OwnerToken, nil), 200, "tickets")); len(got) != 1 {
		t.Fatalf("a second ticket: %d", len(got))
	}
}

func TestSupportChat_IdleSocketIsClosedIntegration(t *testing.T) {
	f := newRegistryFixture(t)
	env, w := f.env, f.w
	tid := tenant.MustParse(w.ID)
	r := chi.NewRouter()
	r.Route("/p", func(r chi.Router) {
		r.Use(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
				ctx := authz.WithPrincipal(tenant.WithTenant(req.Context(), tid),
					authz.Principal{Tenant: tid, Role: authz.RoleCustomer, CustomerIDs: []uuid.UUID{uuid.MustParse(f.customerID)}})
				next.ServeHTTP(rw, req.WithContext(ctx))
			})
		})
		(&httpapi.ChatHandlers{Support: env.Sys.Support, IdleTimeout: 300 * time.Millisecond}).MountPortal(r)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	s := mustDial(t, srv.URL, "/p/chat", "")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	for err == nil {
		_, _, err = s.c.Read(ctx)
	}
	if st := websocket.CloseStatus(err); st != websocket.StatusGoingAway {
		t.Fatalf("idle socket: close status %v (%v)", st, err)
	}
}
