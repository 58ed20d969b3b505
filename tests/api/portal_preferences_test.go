package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/torquehq/torque/internal/e2e"
)

// API.md "Customer portal": GET/PUT .../me/preferences, the staff body, as
// the car owner; the workshop sees what they chose.
func TestPortal_MyPreferencesIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	email := "prefs-" + e2e.Unique() + "@example.com"
	cid, _ := seedCustomer(t, env, w, "Márcia Prefs", email, messagingPlate())
	tok := portalLogin(t, env, w.Slug, email)
	path := portalPath(w.Slug, "/me/preferences")

	got := mustStatus(t, env.Do(t, http.MethodGet, path, tok, nil), http.StatusOK, "defaults")
	if got["reminders"] != "each_due" || len(got["channels"].([]any)) != 3 {
		t.Fatalf("defaults: %v", got)
	}
	body := map[string]any{"channels": []string{"email", "whatsapp"}, "reminders": "monthly",
		"quiet_hours": map[string]string{"from": "21:30", "to": "07:00"}}
	got = mustStatus(t, env.Do(t, http.MethodPut, path, tok, body), http.StatusOK, "set")
	if fmt.Sprint(got["channels"]) != "[email whatsapp]" || got["reminders"] != "monthly" {
		t.Fatalf("set: %v", got)
	}
	staff := mustStatus(t, env.Do(t, http.MethodGet, ws(w, "/customers/"+cid+"/preferences"), w.OwnerToken, nil), http.StatusOK, "staff read")
	if staff["reminders"] != "monthly" || staff["quiet_hours"].(map[string]any)["from"] != "21:30" {
		t.Fatalf("the workshop sees %v", staff)
	}

	fields := problem(t, env.Do(t, http.MethodPut, path, tok, `{"channels":["pombo"],"reminders":"daily","quiet_hours":{"from":"25:00","to":"07:00"}}`),
		http.StatusUnprocessableEntity, "bad values")
	for _, want := range []string{"channels[0]:unknown_value", "reminders:unknown_value", "quiet_hours.from:invalid_format"} {
		if !slices.Contains(fields, want) {
			t.Errorf("errors %v lack %s", fields, want)
		}
	}
	problem(t, env.Do(t, http.MethodPut, path, tok, `{"channels":[],"reminders":"never","quiet_hours":{"from":"20:00","to":"08:00"},"x":1}`),
		http.StatusBadRequest, "unknown field")
	problem(t, env.Do(t, http.MethodPut, path, tok, `{"channels":`), http.StatusBadRequest, "malformed")
	problem(t, env.Do(t, http.MethodGet, path, "", nil), http.StatusUnauthorized, "no session")
	problem(t, env.Do(t, http.MethodGet, path, w.OwnerToken, nil), http.StatusNotFound, "staff session")
	other := env.Signup(t, "pro")
	problem(t, env.Do(t, http.MethodGet, portalPath(other.Slug, "/me/preferences"), tok, nil), http.StatusNotFound, "another workshop")
}
