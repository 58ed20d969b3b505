package resilience_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/internal/e2e"
)

// Issue 10 item 19: the readiness check of the event publisher tests the
// privilege it reads: a runtime role that may not insert into the Watermill
// table (so every write would fail) is "not ready", naming event_publisher.
func TestReadiness_publisherPrivilegeIsChecked(t *testing.T) {
	env := e2e.Start(t)
	if r := env.Do(t, http.MethodGet, "/readyz", "", nil); r.Status != http.StatusOK {
		t.Fatalf("readyz before: %d %s", r.Status, r.Body)
	}
	u, err := url.Parse(env.DB.AppURL)
	if err != nil {
		t.Fatal(err)
	}
	role := pgx.Identifier{u.User.Username()}.Sanitize()
	env.DB.Exec(t, `REVOKE INSERT ON "watermill_events" FROM `+role)
	t.Cleanup(func() { _, _ = env.DB.Admin.Exec(context.Background(), `GRANT INSERT ON "watermill_events" TO `+role) })
	r := env.Do(t, http.MethodGet, "/readyz", "", nil)
	if r.Status != http.StatusServiceUnavailable || !contains(r.JSON()["down"], "event_publisher") {
		t.Fatalf("readyz without the publisher's privilege: %d %s, want 503 naming event_publisher", r.Status, r.Body)
	}
}
