package resilience_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/wiring"
)

// Issue 15 item 5: when read-your-writes times out (the worker is stopped),
// the write still answers 201 but says so: Torque-Consistency: stale with the
// position to wait for. Once the worker runs again the read shows the write
// and answers carry no such header.
func TestConsistency_staleWriteSaysSo(t *testing.T) {
	env := e2e.StartWith(t, e2e.Options{NoWorker: true, Configure: func(c *wiring.Config) {
		c.ConsistencyWait = 300 * time.Millisecond
	}})
	startWorker := func() (stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = env.Sys.RunWorker(ctx) }()
		return func() { cancel(); <-done }
	}
	stopWorker := startWorker()
	w := env.Signup(t, "basic")
	base := "/api/v1/workshops/" + w.Slug
	// The wait is short here: on a loaded machine the signup's read models
	// may come after its answer.
	waitFor(t, "the new workshop's read model", func() bool {
		return env.Do(t, http.MethodGet, base, w.OwnerToken, nil).Status == http.StatusOK
	})
	fresh := env.Do(t, http.MethodPost, base+"/customers", w.OwnerToken, map[string]any{"name": "Cliente Em Dia"})
	if fresh.Status != http.StatusCreated {
		t.Fatalf("customer with the worker running: %d %s", fresh.Status, fresh.Body)
	}
	if h := fresh.Header.Values("Torque-Consistency"); len(h) != 0 {
		// Not a failure: 300 ms may not be enough on a loaded machine.
		t.Logf("a write with the worker running says %v", h)
	}
	stopWorker()

	stale := env.Do(t, http.MethodPost, base+"/customers", w.OwnerToken, map[string]any{"name": "Cliente Atrasado"})
	if stale.Status != http.StatusCreated {
		t.Fatalf("customer with the worker stopped: %d %s", stale.Status, stale.Body)
	}
	id, _ := stale.JSON()["id"].(string)
	want := "stale; position=customer/" + id + "@1"
	if got := stale.Header.Values("Torque-Consistency"); len(got) != 1 || got[0] != want {
		t.Fatalf("Torque-Consistency = %q, want %q", got, want)
	}
	if r := env.Do(t, http.MethodGet, base+"/customers/"+id, w.OwnerToken, nil); r.Status != http.StatusNotFound {
		t.Logf("read before the worker resumes: %d (the header warned the client)", r.Status)
	}

	defer startWorker()()
	waitFor(t, "the stale write to show once the worker resumes", func() bool {
		return env.Do(t, http.MethodGet, base+"/customers/"+id, w.OwnerToken, nil).Status == http.StatusOK
	})
	again := env.Do(t, http.MethodPost, base+"/customers", w.OwnerToken, map[string]any{"name": "Cliente Depois"})
	if again.Status != http.StatusCreated {
		t.Errorf("after recovery: %d %s", again.Status, again.Body)
	}
	if h := strings.Join(again.Header.Values("Torque-Consistency"), ","); h != "" {
		// 300 ms may not be enough on a loaded machine: then it must still
		// name this write's position.
		againID, _ := again.JSON()["id"].(string)
		if h != "stale; position=customer/"+againID+"@1" {
			t.Errorf("after recovery: Torque-Consistency %q does not name the write", h)
		}
	}
}
