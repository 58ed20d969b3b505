package ory_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/infrastructure/ory"
	"github.com/torquehq/torque/infrastructure/ory/oritest"
	"github.com/torquehq/torque/internal/mailpit"
)

// These tests run against the real Kratos of the local stack (deploy/local/up.sh).
// Every test uses its own random e-mail addresses and deletes what it creates, so
// they run in parallel with each other and with other packages' tests.

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

var (
	publicURL  = env("TORQUE_KRATOS_PUBLIC_URL", "http://127.0.0.1:4433")
	adminURL   = env("TORQUE_KRATOS_ADMIN_URL", "http://127.0.0.1:4434")
	mailpitURL = env("TORQUE_MAILPIT_URL", "http://127.0.0.1:8025")
)

const testPassword = "Oficina-Torque-2026!" // only ever used for throwaway identities

// setup skips under -short, checks that Kratos is up and returns a context bounded
// for the whole test.
func setup(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: needs Kratos (deploy/local/up.sh)")
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	if err := ory.NewHealthChecker(adminURL).Check(ctx); err != nil {
		t.Fatalf("Kratos is not ready at %s (run deploy/local/up.sh): %v", adminURL, err)
	}
	return ctx
}

func newKratos(t *testing.T, ttl time.Duration) *ory.Kratos {
	t.Helper()
	k, err := ory.New(ory.Config{PublicURL: publicURL, AdminURL: adminURL, SessionCacheTTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func randomEmail(t *testing.T) string { return "t-" + randomHex(t, 8) + "@example.com" }

// randomPhone returns a valid São Paulo mobile number: Kratos checks numbers used
// as SMS identifiers with libphonenumber, so random digits are refused.
func randomPhone(t *testing.T) string {
	t.Helper()
	n, err := rand.Int(rand.Reader, big.NewInt(10_000_000))
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("+551198%07d", n.Int64())
}

// cleanup deletes the identity when the test ends.
func cleanup(t *testing.T, k *ory.Kratos, id string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := k.Delete(ctx, id); err != nil && !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("cleanup: delete identity %s: %v", id, err)
		}
	})
}

func createStaff(ctx context.Context, t *testing.T, k *ory.Kratos, email, password string) identity.Identity {
	t.Helper()
	id, err := k.CreateStaff(ctx, email, "Zé Mecânico", password)
	if err != nil {
		t.Fatalf("CreateStaff: %v", err)
	}
	cleanup(t, k, id.ID)
	return id
}

func wantKind(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("%s: err = %v, want %v", what, err, kind)
	}
}

func TestKratos_LoginSessionLogoutIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)
	email := randomEmail(t)
	created := createStaff(ctx, t, k, strings.ToUpper(email), testPassword)
	if created.Email != email || created.Name != "Zé Mecânico" || created.Schema != identity.SchemaStaff ||
		!created.Active || created.Verified || created.ID == "" {
		t.Fatalf("created identity = %+v", created)
	}

	before := time.Now()
	token, expiresAt, err := k.LoginWithPassword(ctx, " "+strings.ToUpper(email)+" ", testPassword)
	if err != nil {
		t.Fatalf("LoginWithPassword: %v", err)
	}
	if token == "" || !expiresAt.After(before.Add(time.Hour)) {
		t.Fatalf("token set: %v, expiresAt %v", token != "", expiresAt)
	}

	// A fresh adapter has nothing cached: this goes to Kratos's whoami.
	for name, a := range map[string]*ory.Kratos{"cached": k, "uncached": newKratos(t, -1)} {
		s, err := a.SessionFromToken(ctx, token)
		if err != nil {
			t.Fatalf("%s SessionFromToken: %v", name, err)
		}
		if s.Identity.ID != created.ID || s.Identity.Email != email || s.Identity.Name != "Zé Mecânico" ||
			s.ID == "" || !s.ExpiresAt.Equal(expiresAt) || s.AuthenticatedAt.Before(before.Add(-time.Minute)) {
			t.Fatalf("%s session = %+v", name, s)
		}
	}

	if err := k.Logout(ctx, token); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	_, err = k.SessionFromToken(ctx, token)
	wantKind(t, "SessionFromToken after Logout", err, errs.ErrUnauthenticated)
	if strings.Contains(err.Error(), token) {
		t.Fatal("error text contains the token")
	}
	_, err = newKratos(t, -1).SessionFromToken(ctx, token)
	wantKind(t, "uncached SessionFromToken after Logout", err, errs.ErrUnauthenticated)

	// Kratos keeps a revoked session's row: logging out again succeeds.
	if err := k.Logout(ctx, token); err != nil {
		t.Fatalf("second Logout: %v", err)
	}
}

func TestKratos_LoginWithPassword_failuresAreIndistinguishableIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)
	email := randomEmail(t)
	createStaff(ctx, t, k, email, testPassword)

	attempts := map[string][2]string{
		"wrong password": {email, "Wrong-" + testPassword},
		"unknown e-mail": {randomEmail(t), testPassword},
		"empty password": {email, ""},
		"empty e-mail":   {"", testPassword},
	}
	var first string
	for name, a := range attempts {
		_, _, err := k.LoginWithPassword(ctx, a[0], a[1])
		wantKind(t, name, err, errs.ErrUnauthenticated)
		if first == "" {
			first = err.Error()
		}
		if err.Error() != first {
			t.Errorf("%s: %q differs from %q: the answer tells accounts apart", name, err, first)
		}
		if a[1] != "" && strings.Contains(err.Error(), a[1]) {
			t.Errorf("%s: error text contains the password", name)
		}
	}
}

func TestKratos_SessionFrom_forgedCredentialsIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)
	forged := "ory_st_" + randomHex(t, 16)
	_, err := k.SessionFromToken(ctx, forged)
	wantKind(t, "forged token", err, errs.ErrUnauthenticated)
	_, err = k.SessionFromToken(ctx, "")
	wantKind(t, "empty token", err, errs.ErrUnauthenticated)
	_, err = k.SessionFromCookie(ctx, "ory_kratos_session="+randomHex(t, 32))
	wantKind(t, "forged cookie", err, errs.ErrUnauthenticated)
	_, err = k.SessionFromCookie(ctx, "")
	wantKind(t, "no cookie", err, errs.ErrUnauthenticated)
	err = k.Logout(ctx, forged)
	wantKind(t, "Logout(forged)", err, errs.ErrUnauthenticated)
}

// The staff invite: an account without a password, an admin recovery code, and
// the person setting a password through the recovery and settings flows (browser
// flows spoken in JSON, as the web UI does).
func TestKratos_RecoveryLink_inviteSetsPasswordIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)
	email := randomEmail(t)
	staff := createStaff(ctx, t, k, email, "")
	_, _, err := k.LoginWithPassword(ctx, email, testPassword)
	wantKind(t, "login before the invite is accepted", err, errs.ErrUnauthenticated)

	link, code, err := k.RecoveryLink(ctx, staff.ID, 72*time.Hour)
	if err != nil {
		t.Fatalf("RecoveryLink: %v", err)
	}
	if !strings.Contains(link, "flow=") || len(code) != 6 {
		t.Fatalf("link %q, code length %d", link, len(code))
	}

	// A wrong code is refused and does not burn the flow.
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	browser := oritest.NewBrowser(publicURL)
	if _, err := browser.AcceptRecoveryCode(ctx, link, wrong); err == nil {
		t.Fatal("a wrong recovery code was accepted")
	}

	settingsFlow, err := browser.AcceptRecoveryCode(ctx, link, code)
	if err != nil {
		t.Fatalf("AcceptRecoveryCode: %v", err)
	}

	// The recovery signed the browser in: its cookie is a valid session.
	s, err := k.SessionFromCookie(ctx, browser.CookieHeader())
	if err != nil {
		t.Fatalf("SessionFromCookie: %v", err)
	}
	if s.Identity.ID != staff.ID || s.Identity.Email != email {
		t.Fatalf("cookie session identity = %+v", s.Identity)
	}

	newPassword := "Convite-" + randomHex(t, 6)
	if err := browser.SetPassword(ctx, settingsFlow, newPassword); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	token, _, err := k.LoginWithPassword(ctx, email, newPassword)
	if err != nil {
		t.Fatalf("login with the password chosen through the invite: %v", err)
	}
	if s, err := k.SessionFromToken(ctx, token); err != nil || s.Identity.ID != staff.ID {
		t.Fatalf("SessionFromToken: %+v, %v", s, err)
	}

	// The code is single-use.
	if _, err := oritest.NewBrowser(publicURL).AcceptRecoveryCode(ctx, link, code); err == nil {
		t.Fatal("a used recovery code was accepted again")
	}
}

// Self-service recovery by e-mail from a native (API) flow: the code reaches
// Mailpit and Kratos accepts it. Finishing needs the session token that Kratos
// v1.3.1 only hands to API flows with feature_flags.use_continue_with_transitions.
func TestKratos_RecoveryByEmailIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)
	mp := mailpit.New(mailpitURL, nil)
	email := randomEmail(t)
	staff := createStaff(ctx, t, k, email, testPassword)
	t.Cleanup(func() { _ = mp.DeleteTo(context.Background(), email) })

	native := oritest.NewNative(publicURL)
	flowID, err := native.StartRecovery(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	mailCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	msg, err := mp.WaitFor(mailCtx, email, mailpit.SubjectContains("recuperar o acesso"))
	if err != nil {
		t.Fatal(err)
	}
	code, err := mailpit.Code(msg.Text)
	if err != nil {
		t.Fatalf("no code in %q: %v", msg.Text, err)
	}

	res, err := native.SubmitRecoveryCode(ctx, flowID, code)
	switch {
	case errors.Is(err, oritest.ErrNativeRecoveryUnsupported):
		// Kratos answers this only after using the code, so the e-mail path works;
		// the privileged session was created but its token withheld.
		t.Logf("e-mailed recovery code accepted; native completion needs the Kratos feature flag: %v", err)
	case err != nil:
		t.Fatalf("SubmitRecoveryCode: %v", err)
	default:
		newPassword := "Recupera-" + randomHex(t, 6)
		if err := native.SetPassword(ctx, res.SessionToken, res.SettingsFlowID, newPassword); err != nil {
			t.Fatalf("SetPassword: %v", err)
		}
		if _, _, err := k.LoginWithPassword(ctx, email, newPassword); err != nil {
			t.Fatalf("login with the recovered password: %v", err)
		}
	}

	// Recovering through an e-mailed code proves the address: Kratos marks it verified.
	got, err := k.Get(ctx, staff.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Verified {
		t.Errorf("e-mail not verified after recovery by e-mail: %+v", got)
	}
}

func TestKratos_Create_duplicateEmailIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)
	email := randomEmail(t)
	createStaff(ctx, t, k, email, testPassword)

	_, err := k.CreateStaff(ctx, email, "Outro", "")
	wantKind(t, "same e-mail", err, errs.ErrConflict)
	_, err = k.CreateStaff(ctx, strings.ToUpper(email), "Outro", "")
	wantKind(t, "same e-mail, other case", err, errs.ErrConflict)
	// A staff member may also be a portal customer under the same e-mail: the
	// staff identity holds it as a password identifier, the customer identity
	// as a code identifier (docs/architecture.md, Identities). Two customer
	// identities may not.
	cust, err := k.CreateCustomer(ctx, email, "", "Cliente")
	if err != nil {
		t.Fatalf("same e-mail as a customer: %v", err)
	}
	cleanup(t, k, cust.ID)
	_, err = k.CreateCustomer(ctx, strings.ToUpper(email), "", "Cliente")
	wantKind(t, "same e-mail, two customers", err, errs.ErrConflict)
}

func TestKratos_Disable_blocksLoginAndSessionsIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)
	// Another replica of the API, whose cache knows the session too.
	const replicaTTL = time.Second
	replica := newKratos(t, replicaTTL)
	email := randomEmail(t)
	staff := createStaff(ctx, t, k, email, testPassword)

	token, _, err := k.LoginWithPassword(ctx, email, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := replica.SessionFromToken(ctx, token); err != nil {
		t.Fatal(err)
	}
	_, _, wrongErr := k.LoginWithPassword(ctx, email, "Wrong-"+testPassword)

	if err := k.Disable(ctx, staff.ID); err != nil {
		t.Fatalf("Disable: %v", err)
	}
	if err := k.Disable(ctx, staff.ID); err != nil {
		t.Fatalf("Disable is not idempotent: %v", err)
	}
	if got, err := k.Get(ctx, staff.ID); err != nil || got.Active {
		t.Fatalf("after Disable: %+v, %v", got, err)
	}

	_, _, err = k.LoginWithPassword(ctx, email, testPassword)
	wantKind(t, "login while disabled", err, errs.ErrUnauthenticated)
	if err.Error() != wrongErr.Error() {
		t.Errorf("disabled login says %q, wrong password says %q", err, wrongErr)
	}
	// The process that disabled the account stops honouring it at once.
	_, err = k.SessionFromToken(ctx, token)
	wantKind(t, "session in the disabling process", err, errs.ErrUnauthenticated)

	// Another process stops within its cache TTL.
	deadline := time.Now().Add(replicaTTL + 5*time.Second)
	for {
		_, err := replica.SessionFromToken(ctx, token)
		if errors.Is(err, errs.ErrUnauthenticated) {
			break
		}
		if err != nil {
			t.Fatalf("replica: %v", err)
		}
		if time.Now().After(deadline) {
			t.Fatal("replica still accepts the session of a disabled identity")
		}
		select {
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}

	if err := k.Enable(ctx, staff.ID); err != nil {
		t.Fatalf("Enable: %v", err)
	}
	if _, _, err := k.LoginWithPassword(ctx, email, testPassword); err != nil {
		t.Fatalf("login after Enable: %v", err)
	}
	// Disable revoked the old session: Enable does not bring it back.
	_, err = newKratos(t, -1).SessionFromToken(ctx, token)
	wantKind(t, "old session after Enable", err, errs.ErrUnauthenticated)
}

func TestKratos_RevokeSessionsIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)
	email := randomEmail(t)
	staff := createStaff(ctx, t, k, email, testPassword)

	// No session yet: still a success (Kratos itself answers 404).
	if err := k.RevokeSessions(ctx, staff.ID); err != nil {
		t.Fatalf("RevokeSessions without sessions: %v", err)
	}
	t1, _, err := k.LoginWithPassword(ctx, email, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	t2, _, err := k.LoginWithPassword(ctx, email, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.RevokeSessions(ctx, staff.ID); err != nil {
		t.Fatalf("RevokeSessions: %v", err)
	}
	for _, tok := range []string{t1, t2} {
		_, err := k.SessionFromToken(ctx, tok)
		wantKind(t, "session after RevokeSessions", err, errs.ErrUnauthenticated)
	}
	if _, _, err := k.LoginWithPassword(ctx, email, testPassword); err != nil {
		t.Fatalf("login after RevokeSessions: %v", err)
	}
}

func TestKratos_CreateCustomerIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)

	phone := randomPhone(t)
	c, err := k.CreateCustomer(ctx, "", phone, "Maria da Silva")
	if err != nil {
		t.Fatalf("CreateCustomer(phone only): %v", err)
	}
	cleanup(t, k, c.ID)
	if c.Schema != identity.SchemaCustomer || c.Phone != phone || c.Email != "" || c.Name != "Maria da Silva" || !c.Active {
		t.Fatalf("customer = %+v", c)
	}
	got, err := k.Get(ctx, c.ID)
	if err != nil || got != c {
		t.Fatalf("Get = %+v, %v; want %+v", got, err, c)
	}
	_, err = k.CreateCustomer(ctx, "", phone, "Outra Maria")
	wantKind(t, "same phone", err, errs.ErrConflict)

	email := randomEmail(t)
	both, err := k.CreateCustomer(ctx, email, randomPhone(t), "João")
	if err != nil {
		t.Fatalf("CreateCustomer(email and phone): %v", err)
	}
	cleanup(t, k, both.ID)
	if found, err := k.FindByEmail(ctx, identity.SchemaCustomer, email); err != nil || found.ID != both.ID {
		t.Fatalf("FindByEmail(customer) = %+v, %v", found, err)
	}

	for _, tc := range []struct{ name, email, phone, field string }{
		{"neither e-mail nor phone", "", "", "traits"},
		{"bad phone", "", "+551234", "phone"},
		{"bad e-mail", "not-an-email", "", "email"},
	} {
		_, err := k.CreateCustomer(ctx, tc.email, tc.phone, "X")
		var ve *errs.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != tc.field {
			t.Errorf("%s: err = %v, want a ValidationError on %q", tc.name, err, tc.field)
		}
	}
}

func TestKratos_DirectoryLookupsIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)
	email := randomEmail(t)
	staff := createStaff(ctx, t, k, email, "")

	found, err := k.FindByEmail(ctx, identity.SchemaStaff, strings.ToUpper(email))
	if err != nil || found != staff {
		t.Fatalf("FindByEmail = %+v, %v; want %+v", found, err, staff)
	}
	if found, err := k.FindByEmail(ctx, "", email); err != nil || found.ID != staff.ID {
		t.Fatalf("FindByEmail(any schema) = %+v, %v", found, err)
	}
	_, err = k.FindByEmail(ctx, identity.SchemaCustomer, email)
	wantKind(t, "FindByEmail(other schema)", err, errs.ErrNotFound)
	_, err = k.FindByEmail(ctx, identity.SchemaStaff, randomEmail(t))
	wantKind(t, "FindByEmail(unknown)", err, errs.ErrNotFound)

	unknown := "0193c1d2-0000-7000-8000-" + randomHex(t, 6)
	for name, call := range map[string]func(string) error{
		"Get":            func(id string) error { _, err := k.Get(ctx, id); return err },
		"RecoveryLink":   func(id string) error { _, _, err := k.RecoveryLink(ctx, id, time.Hour); return err },
		"Disable":        func(id string) error { return k.Disable(ctx, id) },
		"Enable":         func(id string) error { return k.Enable(ctx, id) },
		"Delete":         func(id string) error { return k.Delete(ctx, id) },
		"RevokeSessions": func(id string) error { return k.RevokeSessions(ctx, id) },
	} {
		wantKind(t, name+"(unknown id)", call(unknown), errs.ErrNotFound)
		wantKind(t, name+"(malformed id)", call("../../sessions"), errs.ErrNotFound)
	}

	if err := k.Delete(ctx, staff.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err = k.Get(ctx, staff.ID)
	wantKind(t, "Get after Delete", err, errs.ErrNotFound)
	wantKind(t, "Delete twice", k.Delete(ctx, staff.ID), errs.ErrNotFound)
}
