package mailpit_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/smtp"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/internal/mailpit"
)

func TestCode(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text, want string
		ok               bool
	}{
		{"kratos recovery", "Hi, please recover access to your account by entering the following code:\n\n430135\n", "430135", true},
		{"first of two", "code 111111 or 222222", "111111", true},
		{"not inside a longer number", "order 12345678 then code 654321.", "654321", true},
		{"at start and end", "987654", "987654", true},
		{"none", "no code here, only 12345 and 1234567", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := mailpit.Code(c.text)
			if c.ok && (err != nil || got != c.want) {
				t.Fatalf("Code() = %q, %v; want %q", got, err, c.want)
			}
			if !c.ok && !errors.Is(err, mailpit.ErrNoMatch) {
				t.Fatalf("Code() = %q, %v; want ErrNoMatch", got, err)
			}
		})
	}
}

func TestLink(t *testing.T) {
	t.Parallel()
	text := `Visit http://example.com/x. Or <a href="http://127.0.0.1:4433/self-service/verification?code=1&amp;flow=abc">here</a>.`
	got, err := mailpit.Link(text, "http://127.0.0.1:4433/")
	if err != nil || got != "http://127.0.0.1:4433/self-service/verification?code=1&flow=abc" {
		t.Fatalf("Link() = %q, %v", got, err)
	}
	if got, err := mailpit.Link(text, ""); err != nil || got != "http://example.com/x" {
		t.Fatalf("Link(any) = %q, %v", got, err)
	}
	if _, err := mailpit.Link(text, "https://nowhere.test/"); !errors.Is(err, mailpit.ErrNoMatch) {
		t.Fatalf("Link(missing) err = %v, want ErrNoMatch", err)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func randomAddress(t *testing.T) string {
	t.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "t-" + hex.EncodeToString(b) + "@example.com"
}

func TestClient_roundTripIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: needs Mailpit (deploy/local/up.sh)")
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	mp := mailpit.New(env("TORQUE_MAILPIT_URL", "http://127.0.0.1:8025"), nil)
	to := randomAddress(t)
	t.Cleanup(func() { _ = mp.DeleteTo(context.Background(), to) })

	msg := fmt.Sprintf("From: Torque <no-reply@torque.local>\r\nTo: %s\r\nSubject: Seu código\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n\r\nUse o código 246810 ou abra http://127.0.0.1:8080/recovery?flow=f1.\r\n", to)
	if err := smtp.SendMail(env("TORQUE_SMTP_ADDR", "127.0.0.1:1025"), nil, "no-reply@torque.local", []string{to}, []byte(msg)); err != nil {
		t.Fatalf("send: %v", err)
	}

	got, err := mp.WaitFor(ctx, to, mailpit.SubjectContains("código"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.To) != 1 || !strings.EqualFold(got.To[0].Address, to) {
		t.Fatalf("To = %+v, want %s", got.To, to)
	}
	if code, err := mailpit.Code(got.Text); err != nil || code != "246810" {
		t.Fatalf("Code = %q, %v", code, err)
	}
	if link, err := mailpit.Link(got.Text, "http://127.0.0.1:8080/"); err != nil || link != "http://127.0.0.1:8080/recovery?flow=f1" {
		t.Fatalf("Link = %q, %v", link, err)
	}

	if err := mp.DeleteTo(ctx, to); err != nil {
		t.Fatal(err)
	}
	left, err := mp.MessagesTo(ctx, to)
	if err != nil || len(left) != 0 {
		t.Fatalf("after DeleteTo: %d messages, %v", len(left), err)
	}

	// Waiting for mail that never comes ends with the context.
	short, cancelShort := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancelShort()
	if _, err := mp.WaitFor(short, to, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitFor(no mail) err = %v, want DeadlineExceeded", err)
	}
}
