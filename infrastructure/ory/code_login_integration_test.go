package ory_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/internal/mailpit"
)

// loginCode waits for the one-time code Kratos e-mailed to address, in an
// e-mail whose subject holds wantSubject.
func loginCode(t *testing.T, mp *mailpit.Client, address, wantSubject string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// A staff identity of the same address got Kratos's verification e-mail
	// when its password was set (settings flow): not a code e-mail.
	msg, err := mp.WaitFor(ctx, address, func(s mailpit.Summary) bool { return !strings.Contains(s.Subject, "verify your email") })
	if err != nil {
		t.Fatalf("no code e-mail for %s: %v", address, err)
	}
	if !strings.Contains(msg.Subject, wantSubject) {
		t.Errorf("subject %q lacks %q", msg.Subject, wantSubject)
	}
	code, err := mailpit.Code(msg.Text)
	if err != nil {
		t.Fatalf("code in %q: %v", msg.Text, err)
	}
	return code
}

// TestKratos_CodeLogin_customerSharesStaffEmailIntegration: a staff identity
// and a customer identity hold the same e-mail (password identifier and code
// identifier respectively); the code login reaches the customer identity, the
// password login the staff one.
func TestKratos_CodeLogin_customerSharesStaffEmailIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)
	mp := mailpit.New(mailpitURL, nil)
	email := randomEmail(t)
	staff := createStaff(ctx, t, k, email, testPassword)
	cust, err := k.CreateCustomer(ctx, strings.ToUpper(email), "", "Maria Conceição")
	if err != nil {
		t.Fatalf("CreateCustomer with a staff member's e-mail: %v", err)
	}
	cleanup(t, k, cust.ID)
	if cust.Schema != identity.SchemaCustomer || cust.Email != email || cust.ID == staff.ID {
		t.Fatalf("customer identity = %+v", cust)
	}
	// A second customer identity with the same e-mail is refused.
	if _, err := k.CreateCustomer(ctx, email, "", "Outra"); !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("duplicate customer: err = %v, want conflict", err)
	}

	flowID, err := k.SendLoginCode(ctx, " "+strings.ToUpper(email), "Auto Center Paulista")
	if err != nil {
		t.Fatalf("SendLoginCode: %v", err)
	}
	code := loginCode(t, mp, email, "Auto Center Paulista: seu código de acesso")

	// A wrong code first: refused, and the flow still takes the right one.
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	_, _, err = k.LoginWithCode(ctx, flowID, email, wrong)
	wantKind(t, "wrong code", err, errs.ErrUnauthenticated)
	if strings.Contains(err.Error(), wrong) {
		t.Fatal("error text contains the code")
	}

	token, s, err := k.LoginWithCode(ctx, flowID, email, code)
	if err != nil {
		t.Fatalf("LoginWithCode: %v", err)
	}
	if token == "" || s.Identity.ID != cust.ID || s.Identity.Schema != identity.SchemaCustomer || s.Identity.Email != email ||
		!s.ExpiresAt.After(time.Now().Add(time.Hour)) {
		t.Fatalf("code session = %+v", s)
	}
	got, err := newKratos(t, -1).SessionFromToken(ctx, token)
	if err != nil || got.Identity.ID != cust.ID {
		t.Fatalf("SessionFromToken: %+v, %v", got, err)
	}
	// The code is used up.
	_, _, err = k.LoginWithCode(ctx, flowID, email, code)
	wantKind(t, "used code", err, errs.ErrUnauthenticated)

	// The password still logs the same address in as staff.
	stok, _, err := k.LoginWithPassword(ctx, email, testPassword)
	if err != nil {
		t.Fatalf("staff LoginWithPassword: %v", err)
	}
	ss, err := k.SessionFromToken(ctx, stok)
	if err != nil || ss.Identity.ID != staff.ID || ss.Identity.Schema != identity.SchemaStaff {
		t.Fatalf("staff session = %+v, %v", ss, err)
	}
}

// TestKratos_CodeLogin_unknownAndStaffOnlyIntegration: no code for an address
// without a customer identity, even a staff member's (no fallback).
func TestKratos_CodeLogin_unknownAndStaffOnlyIntegration(t *testing.T) {
	ctx := setup(t)
	k := newKratos(t, 0)
	staffOnly := randomEmail(t)
	createStaff(ctx, t, k, staffOnly, testPassword)
	for name, email := range map[string]string{"unknown": randomEmail(t), "staff only": staffOnly, "empty": ""} {
		_, err := k.SendLoginCode(ctx, email, "")
		wantKind(t, name, err, errs.ErrUnauthenticated)
	}
	_, _, err := k.LoginWithCode(ctx, "00000000-0000-0000-0000-000000000000", staffOnly, "123456")
	wantKind(t, "unknown flow", err, errs.ErrUnauthenticated)
	_, _, err = k.LoginWithCode(ctx, "not-a-flow", staffOnly, "123456")
	wantKind(t, "malformed flow", err, errs.ErrUnauthenticated)
}
