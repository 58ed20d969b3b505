package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/torquehq/torque/internal/e2e"
)

// The portal's chat page opens a WebSocket with the portal cookie (no
// Bearer token): a message written there is stored and comes back on a
// reconnect (history); a cross-site Origin and a missing session are refused.
func TestPortalChatSocketIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	email := "chat-" + e2e.Unique() + "@example.com"
	if r := env.Do(t, http.MethodPost, "/api/v1/workshops/"+w.Slug+"/customers", w.OwnerToken, map[string]any{"name": "Carla Chat", "email": email}); r.Status != 201 {
		t.Fatalf("customer: %d %s", r.Status, r.Body)
	}
	tok := portalToken(t, env, w.Slug, email)
	p := "/p/" + w.Slug
	req, _ := http.NewRequest(http.MethodGet, env.URL+p+"/chat", nil)
	req.AddCookie(&http.Cookie{Name: "torque_portal", Value: tok})
	resp, err := noRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `data-socket="`+p+`/live/chat"`) {
		t.Fatalf("chat page: %d %s", resp.StatusCode, b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	wsURL := "ws" + strings.TrimPrefix(env.URL, "http") + p + "/live/chat"
	// dial answers the connection (nil when refused) and the HTTP status.
	dial := func(origin string, cookie bool) (*websocket.Conn, int) {
		h := http.Header{"Origin": {origin}}
		if cookie {
			h.Set("Cookie", "torque_portal="+tok)
		}
		c, resp, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPHeader: h})
		if resp == nil {
			t.Fatalf("dial: %v", err)
		}
		if resp.Body != nil {
			_ = resp.Body.Close()
		}
		return c, resp.StatusCode
	}
	if c, st := dial("https://evil.example", true); c != nil || st != http.StatusForbidden {
		t.Fatalf("cross-site upgrade: %d", st)
	}
	if c, st := dial(env.URL, false); c != nil || st == http.StatusSwitchingProtocols {
		t.Fatalf("upgrade without session: %d", st)
	}
	readUntil := func(c *websocket.Conn, want func(map[string]any) bool) {
		t.Helper()
		for {
			_, data, err := c.Read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var f map[string]any
			if json.Unmarshal(data, &f) == nil && want(f) {
				return
			}
		}
	}
	c, st := dial(env.URL, true)
	if c == nil {
		t.Fatalf("upgrade: %d", st)
	}
	if err := c.Write(ctx, websocket.MessageText, []byte(`{"type":"message","text":"Olá, meu carro está pronto?","client_id":"c1"}`)); err != nil {
		t.Fatal(err)
	}
	readUntil(c, func(f map[string]any) bool { return f["type"] == "ack" })
	_ = c.Close(websocket.StatusNormalClosure, "")
	if c, st = dial(env.URL, true); c == nil {
		t.Fatalf("reconnect: %d", st)
	}
	defer func() { _ = c.Close(websocket.StatusNormalClosure, "") }()
	readUntil(c, func(f map[string]any) bool {
		return f["type"] == "message" && f["text"] == "Olá, meu carro está pronto?"
	})
}
