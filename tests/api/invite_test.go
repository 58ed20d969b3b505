package api_test

import (
	"context"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/infrastructure/ory/oritest"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/mailpit"
)

func TestInvitedStaffSetsPasswordThroughEmailedLinkIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	email := "mecanico-" + e2e.Unique() + "@example.com"
	mp := mailpit.New(envOr("TORQUE_MAILPIT_URL", "http://127.0.0.1:8025"), nil)
	t.Cleanup(func() { _ = mp.DeleteTo(context.Background(), email) })

	r := env.Do(t, http.MethodPost, "/api/v1/workshops/"+w.Slug+"/staff", w.OwnerToken,
		map[string]string{"name": "João Mecânico", "email": email, "role": "mechanic"})
	if r.Status != http.StatusCreated || r.JSON()["role"] != "mechanic" {
		t.Fatalf("invite: %d %s", r.Status, r.Body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	msg, err := mp.WaitFor(ctx, email, mailpit.SubjectContains("convidado"))
	if err != nil {
		t.Fatalf("no invitation e-mail reached Mailpit: %v", err)
	}
	if !strings.Contains(msg.Text, "João Mecânico") || !strings.Contains(msg.Text, "mecânico") {
		t.Errorf("invitation text is not the pt-BR one: %s", msg.Text)
	}
	link, err := mailpit.Link(msg.Text, "http://127.0.0.1:8080/recovery")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`código (\d{6})`).FindStringSubmatch(msg.Text)
	if m == nil {
		t.Fatalf("no code in the invitation: %s", msg.Text)
	}
	code := m[1]
	browser := oritest.NewBrowser(env.Config.KratosPublicURL)
	flow, err := browser.AcceptRecoveryCode(ctx, link, code)
	if err != nil {
		t.Fatalf("the invitation code was refused: %v", err)
	}
	if err := browser.SetPassword(ctx, flow, "Trocar-Pastilha-Freio-93"); err != nil {
		t.Fatal(err)
	}
	token := env.Login(t, email, "Trocar-Pastilha-Freio-93")
	me := env.Do(t, http.MethodGet, "/api/v1/me", token, nil)
	if me.Status != http.StatusOK || !strings.Contains(string(me.Body), `"role":"mechanic"`) {
		t.Fatalf("/me of the invited mechanic: %d %s", me.Status, me.Body)
	}
	staff := env.Do(t, http.MethodGet, "/api/v1/workshops/"+w.Slug+"/staff", w.OwnerToken, nil)
	if !strings.Contains(string(staff.Body), email) {
		t.Fatalf("staff list lacks the invitee: %s", staff.Body)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
