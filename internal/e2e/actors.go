package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"testing"
	"time"
)

// Unique returns a short random suffix for slugs and e-mails.
func Unique() string {
	var b [5]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Workshop is a signed-up workshop with its owner's session.
type Workshop struct {
	ID, Slug              string
	OwnerEmail, OwnerPass string
	OwnerToken            string
	CheckoutURL           string
}

// Password is the password every test identity uses.
const Password = "correct-horse-battery-42"

// Signup creates a workshop through the public API, marks its owner's address
// verified (as if they had entered the e-mailed code: an unverified owner may
// not invite anyone) and logs them in.
func (e *Env) Signup(t testing.TB, plan string) Workshop {
	t.Helper()
	w := e.SignupUnverified(t, plan)
	e.VerifyEmail(t, w.OwnerEmail)
	return w
}

// SignupUnverified is Signup without verifying the owner's address.
func (e *Env) SignupUnverified(t testing.TB, plan string) Workshop {
	t.Helper()
	u := Unique()
	w := Workshop{Slug: "oficina-" + u, OwnerEmail: "dono-" + u + "@example.com", OwnerPass: Password}
	r := e.Do(t, http.MethodPost, "/api/v1/signup", "", map[string]any{
		"workshop_name": "Oficina Teste " + u, "slug": w.Slug, "plan": plan,
		"owner": map[string]any{"name": "Dono " + u, "email": w.OwnerEmail, "password": w.OwnerPass},
	})
	if r.Status != http.StatusCreated {
		t.Fatalf("signup: %d %s", r.Status, r.Body)
	}
	var out struct {
		Workshop struct {
			ID string `json:"id"`
		} `json:"workshop"`
		CheckoutURL string `json:"checkout_url"`
	}
	r.Decode(t, &out)
	w.ID, w.CheckoutURL = out.Workshop.ID, out.CheckoutURL
	w.OwnerToken = e.Login(t, w.OwnerEmail, w.OwnerPass)
	return w
}

// Login returns a session token or fails the test.
func (e *Env) Login(t testing.TB, email, password string) string {
	t.Helper()
	r := e.Do(t, http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": email, "password": password})
	if r.Status != http.StatusOK {
		t.Fatalf("login %s: %d %s", email, r.Status, r.Body)
	}
	tok, _ := r.JSON()["session_token"].(string)
	if tok == "" {
		t.Fatalf("login returned no token: %s", r.Body)
	}
	return tok
}

// VerifyEmail marks the staff identity of email verified through Kratos's
// admin API: a shortcut for tests about something else (the code flow itself
// is tested in tests/api TestInvite_*).
func (e *Env) VerifyEmail(t testing.TB, email string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	who, err := e.Sys.Ory.FindByEmail(ctx, "staff", email)
	if err != nil {
		t.Fatalf("verify %s: %v", email, err)
	}
	if err := e.Sys.Ory.MarkVerified(ctx, who.ID); err != nil {
		t.Fatalf("verify %s: %v", email, err)
	}
}

// Staff creates an identity with a password, verified (the address is the
// test's own: an invitation would reset an unverified account), has w's
// owner add it with role and returns its session token.
func (e *Env) Staff(t testing.TB, w Workshop, role string) string {
	t.Helper()
	email := role + "-" + Unique() + "@example.com"
	if _, err := e.Sys.Ory.CreateStaff(context.Background(), email, "Equipe "+role, Password); err != nil {
		t.Fatal(err)
	}
	e.VerifyEmail(t, email)
	r := e.Do(t, http.MethodPost, "/api/v1/workshops/"+w.Slug+"/staff", w.OwnerToken,
		map[string]string{"name": "Equipe " + role, "email": email, "role": role})
	if r.Status != http.StatusCreated {
		t.Fatalf("add %s: %d %s", role, r.Status, r.Body)
	}
	return e.Login(t, email, Password)
}
