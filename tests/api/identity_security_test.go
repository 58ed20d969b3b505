package api_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/infrastructure/ory/oritest"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/mailpit"
	"github.com/torquehq/torque/internal/wiring"
)

// Security review, issue 10: item 2 (account pre-takeover through an
// unverified e-mail), item 3 (signup passwords under Kratos's policy) and
// item 5's "signup answers do not reveal whether an e-mail exists". Against
// the local stack's real Kratos, Postgres and Mailpit.

// startPatient answers from the aggregates after a short wait when the read
// models lag (a busy shared machine), so the HTTP client does not give up.
func startPatient(t *testing.T) *e2e.Env {
	t.Helper()
	return e2e.StartWith(t, e2e.Options{Configure: func(c *wiring.Config) { c.ConsistencyWait = 5 * time.Second }})
}

func signupBody(slug, email, password string) map[string]any {
	return map[string]any{"workshop_name": "Oficina " + slug, "slug": slug, "plan": "basic",
		"owner": map[string]any{"name": "Dono", "email": email, "password": password}}
}

func mailbox(t *testing.T, addresses ...string) *mailpit.Client {
	t.Helper()
	mp := mailpit.New(envOr("TORQUE_MAILPIT_URL", "http://127.0.0.1:8025"), nil)
	t.Cleanup(func() {
		for _, a := range addresses {
			_ = mp.DeleteTo(context.Background(), a)
		}
	})
	return mp
}

// verifyByCode proves email through Kratos's verification flow: the code
// Kratos e-mails (Mailpit) typed into the flow.
func verifyByCode(ctx context.Context, t *testing.T, env *e2e.Env, mp *mailpit.Client, email string) {
	t.Helper()
	n := oritest.NewNative(env.Config.KratosPublicURL)
	flow, err := n.StartVerification(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	// Kratos already mailed a code at signup (its settings flow verifies new
	// addresses); use the one of this flow (its link names the flow).
	var code string
	for code == "" {
		if ctx.Err() != nil {
			t.Fatal("no verification e-mail for the flow")
		}
		list, _ := mp.MessagesTo(ctx, email)
		for _, sum := range list {
			msg, err := mp.Message(ctx, sum.ID)
			if err == nil && strings.Contains(msg.Text, flow) {
				// Kratos's own e-mails speak pt-BR too (deploy/ory/templates).
				if !strings.Contains(msg.Subject, "confirme seu endereço de e-mail") || !strings.Contains(msg.Text, "digite o código abaixo") {
					t.Fatalf("verification e-mail not in pt-BR: %q\n%s", msg.Subject, msg.Text)
				}
				code, _ = mailpit.Code(msg.Text)
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	if err := n.SubmitVerificationCode(ctx, flow, code); err != nil {
		t.Fatal(err)
	}
}

// Item 3: a password long enough for Torque's own check but refused by
// Kratos's policy (too similar to the address) is a 422 on owner.password,
// and nothing is created (the same address can sign up afterwards).
func TestSignup_passwordFollowsKratosPolicyIntegration(t *testing.T) {
	env := startPatient(t)
	u := e2e.Unique()
	email := "maria.oficina." + u + "@example.com"
	r := env.Do(t, http.MethodPost, "/api/v1/signup", "", signupBody("pol-"+u, email, "maria.oficina."+u))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `"field":"owner.password"`) {
		t.Fatalf("signup with a password like the address: %d %s, want 422 on owner.password", r.Status, r.Body)
	}
	r = env.Do(t, http.MethodPost, "/api/v1/signup", "", signupBody("pol-"+u, email, e2e.Password))
	if r.Status != http.StatusCreated {
		t.Fatalf("signup after the refused one (slug and address must be free): %d %s", r.Status, r.Body)
	}
	env.Login(t, email, e2e.Password)
}

// Item 5: signing up with an address that already has an account answers
// like a new signup (201, same shape); nothing is created, and the address's
// holder is told by e-mail. The caller's password opens nothing.
func TestSignup_knownAddressAnswersLikeANewOneIntegration(t *testing.T) {
	env := startPatient(t)
	w := env.Signup(t, "basic")
	mp := mailbox(t, w.OwnerEmail)
	slug := "outra-" + e2e.Unique()
	r := env.Do(t, http.MethodPost, "/api/v1/signup", "", signupBody(slug, w.OwnerEmail, "uma-senha-qualquer-123"))
	if r.Status != http.StatusCreated {
		t.Fatalf("signup with a known address: %d %s, want 201 like any signup", r.Status, r.Body)
	}
	var out struct {
		Workshop struct{ ID, Slug, Name, Status string } `json:"workshop"`
	}
	r.Decode(t, &out)
	if out.Workshop.Slug != slug || out.Workshop.Status != "trialing" || out.Workshop.ID == "" {
		t.Errorf("answer %s, want the shape of a new workshop", r.Body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := mp.WaitFor(ctx, w.OwnerEmail, mailpit.SubjectContains("Tentativa de cadastro")); err != nil {
		t.Fatalf("the address's holder was not told: %v", err)
	}
	if r := env.Do(t, http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": w.OwnerEmail,
		"password": "uma-senha-qualquer-123"}); r.Status != http.StatusUnauthorized {
		t.Errorf("login with the second signup's password: %d, want 401", r.Status)
	}
	me := env.Do(t, http.MethodGet, "/api/v1/me", w.OwnerToken, nil)
	if strings.Contains(string(me.Body), slug) {
		t.Errorf("the known address's account got the workshop: %s", me.Body)
	}
	// The slug is held as after a real signup.
	if r := env.Do(t, http.MethodPost, "/api/v1/signup", "", signupBody(slug, "x-"+e2e.Unique()+"@example.com", e2e.Password)); r.Status != http.StatusConflict {
		t.Errorf("the slug of that answer: %d, want taken (409)", r.Status)
	}
}

// Item 2: an owner whose address is not verified may use the workshop but
// not invite; after proving the address by the e-mailed code, they may.
func TestInvite_unverifiedOwnerMustVerifyFirstIntegration(t *testing.T) {
	env := startPatient(t)
	w := env.SignupUnverified(t, "basic")
	invitee := "ajudante-" + e2e.Unique() + "@example.com"
	mp := mailbox(t, w.OwnerEmail, invitee)
	if r := env.Do(t, http.MethodGet, "/api/v1/workshops/"+w.Slug+"/customers", w.OwnerToken, nil); r.Status != http.StatusOK {
		t.Fatalf("an unverified owner uses the workshop: %d %s", r.Status, r.Body)
	}
	body := map[string]string{"name": "Ajudante", "email": invitee, "role": "advisor"}
	r := env.Do(t, http.MethodPost, "/api/v1/workshops/"+w.Slug+"/staff", w.OwnerToken, body)
	if r.Status != http.StatusForbidden || !strings.Contains(string(r.Body), "email-unverified") {
		t.Fatalf("unverified owner invites: %d %s, want 403 email-unverified", r.Status, r.Body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	verifyByCode(ctx, t, env, mp, w.OwnerEmail)
	if r := env.Do(t, http.MethodPost, "/api/v1/workshops/"+w.Slug+"/staff", w.OwnerToken, body); r.Status != http.StatusCreated {
		t.Fatalf("verified owner invites: %d %s", r.Status, r.Body)
	}
}

// Item 2: an attacker who opened an account with João's address first (it
// stays unverified: they cannot read João's mail) does not become the member
// when the owner invites João. Their password and session stop working; João
// proves the address with the code of the invitation and gets the membership.
func TestInvite_preRegisteredAttackerDoesNotGetTheMembershipIntegration(t *testing.T) {
	env := startPatient(t)
	owner := env.Signup(t, "pro")
	joao := "joao-" + e2e.Unique() + "@oficina.example.com"
	mp := mailbox(t, joao)

	// The attacker signs up a workshop of their own with João's address.
	attackerPass := "senha-do-atacante-77"
	if r := env.Do(t, http.MethodPost, "/api/v1/signup", "", signupBody("isca-"+e2e.Unique(), joao, attackerPass)); r.Status != http.StatusCreated {
		t.Fatalf("attacker's signup: %d %s", r.Status, r.Body)
	}
	attackerToken := env.Login(t, joao, attackerPass)

	r := env.Do(t, http.MethodPost, "/api/v1/workshops/"+owner.Slug+"/staff", owner.OwnerToken,
		map[string]string{"name": "João", "email": joao, "role": "manager"})
	if r.Status != http.StatusCreated {
		t.Fatalf("invite: %d %s", r.Status, r.Body)
	}
	// The attacker's session and password no longer reach the account.
	if me := env.Do(t, http.MethodGet, "/api/v1/me", attackerToken, nil); me.Status == http.StatusOK &&
		strings.Contains(string(me.Body), owner.Slug) {
		t.Fatalf("the attacker's session sees the membership: %s", me.Body)
	}
	if me := env.Do(t, http.MethodGet, "/api/v1/workshops/"+owner.Slug+"/customers", attackerToken, nil); me.Status == http.StatusOK {
		t.Fatal("the attacker's session reads the inviting workshop")
	}
	if r := env.Do(t, http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": joao, "password": attackerPass}); r.Status == http.StatusOK {
		t.Fatal("the attacker's password still logs in after the invitation")
	}

	// João proves the address with the invitation's code and sets a password.
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	msg, err := mp.WaitFor(ctx, joao, mailpit.SubjectContains("convidado"))
	if err != nil {
		t.Fatalf("no invitation e-mail: %v", err)
	}
	link, err := mailpit.Link(msg.Text, "http://127.0.0.1:8080/recovery")
	if err != nil {
		t.Fatalf("the invitation has no link to prove the address: %v\n%s", err, msg.Text)
	}
	m := regexp.MustCompile(`código (\d{6})`).FindStringSubmatch(msg.Text)
	if m == nil {
		t.Fatalf("no code in the invitation: %s", msg.Text)
	}
	browser := oritest.NewBrowser(env.Config.KratosPublicURL)
	flow, err := browser.AcceptRecoveryCode(ctx, link, m[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := browser.SetPassword(ctx, flow, "Joao-Gerente-Oficina-2026"); err != nil {
		t.Fatal(err)
	}
	token := env.Login(t, joao, "Joao-Gerente-Oficina-2026")
	// Another person's read: the membership read model may lag the invitation.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(500 * time.Millisecond) {
		me := env.Do(t, http.MethodGet, "/api/v1/me", token, nil)
		if me.Status == http.StatusOK && strings.Contains(string(me.Body), `"workshop":"`+owner.Slug+`"`) &&
			strings.Contains(string(me.Body), `"role":"manager"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/me of the real João: %d %s, want the manager membership", me.Status, me.Body)
		}
	}
}
