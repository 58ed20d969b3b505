package ory_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/infrastructure/ory"
	"github.com/torquehq/torque/infrastructure/ory/oritest"
	"github.com/torquehq/torque/internal/mailpit"
)

// Security review, issue 10 items 2 and 3. The configuration tests run a Kratos
// of their own on deploy/ory/kratos.yml (oritest.StartKratos): the local
// stack's Kratos runs whatever configuration it was started with.

// ownKratos starts a Kratos on the repository's configuration, shared by the
// configuration tests of one run (starting one costs seconds).
func ownKratos(t *testing.T) (*oritest.Server, context.Context) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: starts its own Kratos")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return oritest.StartKratos(t), ctx
}

// No public registration: anyone could otherwise claim someone else's address
// before its owner is invited.
func TestKratosConfig_publicRegistrationIsRefusedIntegration(t *testing.T) {
	srv, ctx := ownKratos(t)
	status, body, err := oritest.NewNative(srv.PublicURL).RegistrationStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if status == http.StatusOK || !strings.Contains(body, "self_service_flow_disabled") {
		t.Fatalf("GET /self-service/registration/api = %d %s, want the flow disabled", status, body)
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).
		Get(srv.PublicURL + "/self-service/registration/browser")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusOK ||
		(resp.StatusCode/100 == 3 && strings.Contains(loc, "/signup?flow=")) {
		t.Fatalf("browser registration: %d → %s, want no registration flow", resp.StatusCode, loc)
	}
	// Torque's own signup (admin API + password under the policy) still works.
	k, err := ory.New(ory.Config{PublicURL: srv.PublicURL, AdminURL: srv.AdminURL})
	if err != nil {
		t.Fatal(err)
	}
	email := randomEmail(t)
	if _, err := k.CreateStaff(ctx, email, "Dona Ana", testPassword); err != nil {
		t.Fatalf("CreateStaff with registration disabled: %v", err)
	}
	if _, _, err := k.LoginWithPassword(ctx, email, testPassword); err != nil {
		t.Fatalf("login after Torque's signup: %v", err)
	}
}

// A password change ends every other session of the identity.
func TestKratosConfig_passwordChangeRevokesOtherSessionsIntegration(t *testing.T) {
	srv, ctx := ownKratos(t)
	k, err := ory.New(ory.Config{PublicURL: srv.PublicURL, AdminURL: srv.AdminURL})
	if err != nil {
		t.Fatal(err)
	}
	email := randomEmail(t)
	if _, err := k.CreateStaff(ctx, email, "Dona Ana", testPassword); err != nil {
		t.Fatal(err)
	}
	n := oritest.NewNative(srv.PublicURL)
	stolen, err := n.Login(ctx, email, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := n.Login(ctx, email, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	flow, err := n.StartSettings(ctx, mine)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.SetPassword(ctx, mine, flow, "Outra-Senha-Bem-Longa-77"); err != nil {
		t.Fatal(err)
	}
	if active, err := n.SessionActive(ctx, stolen); err != nil || active {
		t.Fatalf("the other session after a password change: active=%v err=%v, want revoked", active, err)
	}
	if active, err := n.SessionActive(ctx, mine); err != nil || !active {
		t.Fatalf("the session that changed the password: active=%v err=%v, want kept", active, err)
	}
}

// Recovery (proving the address by a code Kratos e-mails) ends every other
// session, and marks the address verified.
func TestKratosConfig_recoveryRevokesOtherSessionsIntegration(t *testing.T) {
	srv, ctx := ownKratos(t)
	k, err := ory.New(ory.Config{PublicURL: srv.PublicURL, AdminURL: srv.AdminURL})
	if err != nil {
		t.Fatal(err)
	}
	email := randomEmail(t)
	created, err := k.CreateStaff(ctx, email, "Dona Ana", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	mp := mailpit.New(mailpitURL, nil)
	t.Cleanup(func() { _ = mp.DeleteTo(context.Background(), email) })
	n := oritest.NewNative(srv.PublicURL)
	stolen, err := n.Login(ctx, email, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	flow, err := n.StartRecovery(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	// Setting the password already mailed a verification code: take the recovery one.
	msg, err := mp.WaitFor(ctx, email, mailpit.SubjectContains("recuperar o acesso"))
	if err != nil {
		t.Fatalf("no recovery e-mail: %v", err)
	}
	code, err := mailpit.Code(msg.Text)
	if err != nil {
		t.Fatal(err)
	}
	res, err := n.SubmitRecoveryCode(ctx, flow, code)
	if err != nil {
		t.Fatal(err)
	}
	if active, err := n.SessionActive(ctx, stolen); err != nil || active {
		t.Fatalf("the other session after recovery: active=%v err=%v, want revoked", active, err)
	}
	if active, err := n.SessionActive(ctx, res.SessionToken); err != nil || !active {
		t.Fatalf("the recovery session: active=%v err=%v", active, err)
	}
	if got, err := k.Get(ctx, created.ID); err != nil || !got.Verified {
		t.Fatalf("after recovery by an e-mailed code: %+v %v, want the address verified", got, err)
	}
}

// Signup passwords go through Kratos's password policy (item 3): a password
// long enough for Torque's own check but too similar to the address is refused
// as a validation error on "password", and no identity is left behind.
func TestCreateStaff_passwordFollowsKratosPolicyIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)
	local := "ana.souza." + randomHex(t, 4)
	email := local + "@example.com"
	for _, weak := range []string{local, email, strings.ToUpper(local) + "1"} {
		_, err := k.CreateStaff(ctx, email, "Ana Souza", weak)
		var ve *errs.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != "password" || ve.Fields[0].Code != "too_similar" {
			t.Fatalf("CreateStaff with a password like the address (%q): %v, want too_similar on password", weak, err)
		}
		if _, err := k.FindByEmail(ctx, "staff", email); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("a refused signup left its identity behind: %v", err)
		}
	}
	created := createStaff(ctx, t, k, email, testPassword)
	if created.Verified {
		t.Error("setting the password verified the address; only the address's owner may")
	}
	if _, _, err := k.LoginWithPassword(ctx, email, testPassword); err != nil {
		t.Fatalf("login with the accepted password: %v", err)
	}
}

// ResetCredentials takes an account away from whoever holds it: the old
// password and sessions stop working, and only a recovery code reaches it.
func TestKratos_ResetCredentialsIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)
	email := randomEmail(t)
	created := createStaff(ctx, t, k, email, testPassword)
	token, _, err := k.LoginWithPassword(ctx, email, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.ResetCredentials(ctx, created.ID); err != nil {
		t.Fatalf("ResetCredentials: %v", err)
	}
	if _, _, err := k.LoginWithPassword(ctx, email, testPassword); !errors.Is(err, errs.ErrUnauthenticated) {
		t.Fatalf("login with the old password after a reset: %v, want refused", err)
	}
	if _, err := newKratos(t, -1).SessionFromToken(ctx, token); !errors.Is(err, errs.ErrUnauthenticated) {
		t.Fatalf("old session after a reset: %v, want revoked", err)
	}
	got, err := k.Get(ctx, created.ID)
	if err != nil || got.Email != email || got.Name != "Zé Mecânico" || !got.Active {
		t.Fatalf("identity after a reset: %+v %v, want its traits kept", got, err)
	}
	link, code, err := k.RecoveryLink(ctx, created.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	b := oritest.NewBrowser(publicURL)
	flow, err := b.AcceptRecoveryCode(ctx, link, code)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.SetPassword(ctx, flow, "Nova-Senha-Do-Dono-88"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := k.LoginWithPassword(ctx, email, "Nova-Senha-Do-Dono-88"); err != nil {
		t.Fatalf("login with the password set through the code: %v", err)
	}
}
