package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/torquehq/torque/infrastructure/ory/oritest"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/wiring"
)

// privilegedAge is the test's TORQUE_PRIVILEGED_SESSION_MAX_AGE: short, so a
// session becomes "old" within the test.
const privilegedAge = 6 * time.Second

// mfaEnv runs Torque against a Kratos of the test's own, configured by the
// repository's deploy/ory/kratos.yml (TOTP on), with a short privileged age.
func mfaEnv(t *testing.T) (*e2e.Env, *oritest.Native) {
	t.Helper()
	k := oritest.StartKratos(t)
	env := e2e.StartWith(t, e2e.Options{Configure: func(c *wiring.Config) {
		c.KratosPublicURL, c.KratosAdminURL = k.PublicURL, k.AdminURL
		c.PrivilegedSessionMaxAge = privilegedAge
	}})
	return env, oritest.NewNative(k.PublicURL)
}

func wantProblem(t *testing.T, r e2e.Response, status int, typ, what string) {
	t.Helper()
	if r.Status != status || !isProblem(r) || r.JSON()["type"] != typ {
		t.Fatalf("%s: want %d %s, got %d %s", what, status, typ, r.Status, r.Body)
	}
}

// Issue 10 item 4: erasing a customer, exporting, changing roles and removing
// staff need a recent authentication: with a session older than the
// privileged age they answer 403 /problems/reauthenticate, and succeed after
// a refresh login (Kratos login flow with refresh=true) of the same session.
func TestMFA_PrivilegedActionsNeedRecentAuthenticationIntegration(t *testing.T) {
	env, kratos := mfaEnv(t)
	ctx := context.Background()
	w := env.Signup(t, "pro")
	customer := mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/customers"), w.OwnerToken,
		`{"name":"Beatriz Quintanilha","document":"81748552031","email":"beatriz.q@example.com"}`), 201, "customer")
	id := customer["id"].(string)
	staffEmail := "gerente-" + e2e.Unique() + "@example.com"
	staffIdentity, err := env.Sys.Ory.CreateStaff(ctx, staffEmail, "Gerente", e2e.Password)
	if err != nil {
		t.Fatal(err)
	}
	mustStatus(t, env.Do(t, http.MethodPost, ws(w, "/staff"), w.OwnerToken,
		map[string]string{"name": "Gerente", "email": staffEmail, "role": "manager"}), 201, "add manager")

	// A fresh session may export (the owner just logged in).
	if r := env.Do(t, http.MethodGet, ws(w, "/customers/"+id+"/export"), w.OwnerToken, nil); r.Status != http.StatusOK {
		t.Fatalf("export with a fresh session: %d %s", r.Status, r.Body)
	}
	time.Sleep(privilegedAge + time.Second)

	privileged := []struct {
		name, method, path string
		body               any
		ok                 int
	}{
		{"export", http.MethodGet, "/customers/" + id + "/export", nil, http.StatusOK},
		{"change role", http.MethodPatch, "/staff/" + staffIdentity.ID, map[string]string{"role": "advisor"}, http.StatusOK},
		{"remove staff", http.MethodDelete, "/staff/" + staffIdentity.ID, nil, http.StatusNoContent},
		{"erase", http.MethodDelete, "/customers/" + id, nil, http.StatusNoContent},
	}
	// Everything else still works with the old session.
	if r := env.Do(t, http.MethodGet, ws(w, "/customers/"+id), w.OwnerToken, nil); r.Status != http.StatusOK {
		t.Fatalf("an ordinary read with an old session: %d %s", r.Status, r.Body)
	}
	for _, c := range privileged {
		wantProblem(t, env.Do(t, c.method, ws(w, c.path), w.OwnerToken, c.body), http.StatusForbidden,
			"/problems/reauthenticate", c.name+" with an old session")
	}
	for _, c := range privileged {
		if err := kratos.Refresh(ctx, w.OwnerToken, w.OwnerEmail, w.OwnerPass); err != nil {
			t.Fatal(err)
		}
		if r := env.Do(t, c.method, ws(w, c.path), w.OwnerToken, c.body); r.Status != c.ok {
			t.Fatalf("%s after a refresh login: %d %s", c.name, r.Status, r.Body)
		}
	}
}

// Issue 10 item 4: a staff member enrols TOTP through Kratos's settings flow
// and signs in with it (aal2); the owner, signed in with the second factor,
// requires it of everyone; a session without it then gets 403
// /problems/mfa-required on every workshop route, until it adds the factor.
func TestMFA_EnrolTOTPAndRequireItForTheWorkshopIntegration(t *testing.T) {
	env, kratos := mfaEnv(t)
	ctx := context.Background()
	w := env.Signup(t, "pro")
	manager := env.Staff(t, w, "manager")

	secret, err := kratos.EnrolTOTP(ctx, w.OwnerToken)
	if err != nil {
		t.Fatal(err)
	}
	// A new sign-in with the password alone is aal1 ...
	owner := env.Login(t, w.OwnerEmail, w.OwnerPass)
	if s, err := kratos.Whoami(ctx, owner); err != nil || s["authenticator_assurance_level"] != "aal1" {
		t.Fatalf("password-only session: %v %v", s["authenticator_assurance_level"], err)
	}
	if r := env.Do(t, http.MethodPut, ws(w, "/security/mfa"), owner, `{"required":"yes"}`); r.Status != http.StatusBadRequest && r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a non-boolean: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, http.MethodPut, ws(w, "/security/mfa"), owner, `{}`); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("no value: %d %s", r.Status, r.Body)
	}
	// ... and may not require a factor it has not shown.
	wantProblem(t, env.Do(t, http.MethodPut, ws(w, "/security/mfa"), owner, `{"required":true}`),
		http.StatusForbidden, "/problems/mfa-required", "require MFA from an aal1 session")
	// An ordinary read leaves the aal1 session in Torque's session cache ...
	if r := env.Do(t, http.MethodGet, ws(w, "/customers"), owner, nil); r.Status != http.StatusOK {
		t.Fatalf("owner reads customers: %d %s", r.Status, r.Body)
	}
	// The TOTP step of the login flow (aal=aal2) raises the same session
	// (... and the switch below is not refused on the cached aal1: Torque asks
	// Kratos again before refusing it).
	if err := kratos.LoginAAL2(ctx, owner, secret); err != nil {
		t.Fatal(err)
	}
	if s, err := kratos.Whoami(ctx, owner); err != nil || s["authenticator_assurance_level"] != "aal2" {
		t.Fatalf("after the TOTP step: %v %v", s["authenticator_assurance_level"], err)
	}
	// A manager may not change the policy (owners only).
	wantProblem(t, env.Do(t, http.MethodPut, ws(w, "/security/mfa"), manager, `{"required":true}`),
		http.StatusForbidden, "/problems/forbidden", "a manager requires MFA")
	r := env.Do(t, http.MethodPut, ws(w, "/security/mfa"), owner, `{"required":true}`)
	if r.Status != http.StatusOK || r.JSON()["required"] != true {
		t.Fatalf("require MFA: %d %s", r.Status, r.Body)
	}

	// Now a session with one factor is refused everywhere in the workshop.
	for _, path := range []string{"", "/customers", "/staff", "/security/mfa"} {
		wantProblem(t, env.Do(t, http.MethodGet, ws(w, path), manager, nil), http.StatusForbidden,
			"/problems/mfa-required", "aal1 manager on "+path)
	}
	// Not outside it: the manager can still see where they belong.
	if r := env.Do(t, http.MethodGet, "/api/v1/me", manager, nil); r.Status != http.StatusOK {
		t.Fatalf("/me of an aal1 manager: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, http.MethodGet, ws(w, "/security/mfa"), owner, nil); r.Status != http.StatusOK || r.JSON()["required"] != true {
		t.Fatalf("the aal2 owner reads the policy: %d %s", r.Status, r.Body)
	}
	// The manager enrols a factor (Kratos v1.3.1 raises the session to aal2;
	// should it not, the TOTP step of the login flow does) and is in at once:
	// the API re-checks a cached aal1 session with Kratos before refusing it.
	msecret, err := kratos.EnrolTOTP(ctx, manager)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := kratos.Whoami(ctx, manager); err != nil || s["authenticator_assurance_level"] != "aal2" {
		t.Logf("after enrolment the session is %v", s["authenticator_assurance_level"])
		if err := kratos.LoginAAL2(ctx, manager, msecret); err != nil {
			t.Fatal(err)
		}
	}
	if r := env.Do(t, http.MethodGet, ws(w, "/customers"), manager, nil); r.Status != http.StatusOK {
		t.Fatalf("the manager after enrolling TOTP: %d %s", r.Status, r.Body)
	}
	// Turning it off again lets one-factor sessions back in.
	if r := env.Do(t, http.MethodPut, ws(w, "/security/mfa"), owner, `{"required":false}`); r.Status != http.StatusOK || r.JSON()["required"] != false {
		t.Fatalf("stop requiring MFA: %d %s", r.Status, r.Body)
	}
	other := env.Staff(t, w, "advisor")
	if r := env.Do(t, http.MethodGet, ws(w, "/customers"), other, nil); r.Status != http.StatusOK {
		t.Fatalf("an aal1 advisor once MFA is no longer required: %d %s", r.Status, r.Body)
	}
}
