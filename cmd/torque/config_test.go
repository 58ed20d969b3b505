package main

import (
	"context"
	"strings"
	"testing"
)

const (
	prodMasterKey = "prod:q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA="
	prodWebhook   = "whsec_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
	prodStripeKey = "sk_live_51Habcdefghijklmnopqrstuvwxyz"
)

// clearSecrets starts each case from a clean environment (t.Setenv restores
// the caller's values after the test).
func clearSecrets(t *testing.T) {
	t.Helper()
	for _, name := range []string{"TORQUE_ENV", "TORQUE_MASTER_KEYS", "TORQUE_STRIPE_WEBHOOK_SECRET", "TORQUE_STRIPE_SECRET_KEY",
		"TORQUE_MESSAGING_TOKEN_KEY", "TORQUE_WHATSAPP_API_URL", "TORQUE_WHATSAPP_APP_SECRET",
		"TORQUE_SMTP_USERNAME", "TORQUE_SMTP_PASSWORD", "TORQUE_SMTP_SECURITY"} {
		t.Setenv(name, "")
	}
}

func setProdSecrets(t *testing.T) {
	t.Helper()
	t.Setenv("TORQUE_MASTER_KEYS", prodMasterKey)
	t.Setenv("TORQUE_STRIPE_WEBHOOK_SECRET", prodWebhook)
	t.Setenv("TORQUE_STRIPE_SECRET_KEY", prodStripeKey)
	t.Setenv("TORQUE_MESSAGING_TOKEN_KEY", "a-production-messaging-link-key-of-40-chars")
	t.Setenv("TORQUE_SMTP_USERNAME", "torque")
	t.Setenv("TORQUE_SMTP_PASSWORD", "relay-password")
	t.Setenv("TORQUE_SMTP_SECURITY", "")
}

// Issue 10 item 1: with TORQUE_ENV unset (production), a missing or empty
// secret stops `torque serve` before it connects anywhere, naming the variable.
func TestStartup_productionRefusesMissingSecrets(t *testing.T) {
	for _, name := range []string{"TORQUE_MASTER_KEYS", "TORQUE_STRIPE_WEBHOOK_SECRET", "TORQUE_STRIPE_SECRET_KEY", "TORQUE_MESSAGING_TOKEN_KEY"} {
		for _, torqueEnv := range []string{"", "production", "staging"} {
			t.Run(name+"/"+torqueEnv, func(t *testing.T) {
				clearSecrets(t)
				setProdSecrets(t)
				t.Setenv("TORQUE_ENV", torqueEnv)
				t.Setenv(name, "")
				err := run(context.Background(), []string{"serve"})
				if err == nil || !strings.Contains(err.Error(), name) {
					t.Fatalf("serve with %s empty: err = %v, want a startup error naming it", name, err)
				}
			})
		}
	}
}

// Issue 10 item 1: a development value published in the repository is refused
// outside the local environment, whatever key id it is given; the error names
// the variable and never prints the value.
func TestStartup_productionRefusesDevelopmentSecrets(t *testing.T) {
	cases := []struct{ name, value string }{
		{"TORQUE_MASTER_KEYS", localMasterKey},
		{"TORQUE_MASTER_KEYS", "mine:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="},
		{"TORQUE_MASTER_KEYS", prodMasterKey + ",old:dG9ycXVlLWxvY2FsLWRldmVsb3BtZW50LWtleS0zMmI="},
		{"TORQUE_STRIPE_WEBHOOK_SECRET", "whsec_local_dev_secret"},
		{"TORQUE_STRIPE_WEBHOOK_SECRET", "whsec_e2e_secret"},
		{"TORQUE_STRIPE_SECRET_KEY", "sk_test_123"},
		{"TORQUE_MESSAGING_TOKEN_KEY", "torque-local-messaging-token-key-not-secret"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clearSecrets(t)
			setProdSecrets(t)
			t.Setenv(c.name, c.value)
			_, err := loadConfig()
			if err == nil || !strings.Contains(err.Error(), c.name) {
				t.Fatalf("%s = development value: err = %v, want a startup error naming it", c.name, err)
			}
			if strings.Contains(err.Error(), c.value) {
				t.Errorf("the error prints the secret: %v", err)
			}
		})
	}
}

// Production with secrets of its own starts (the configuration loads).
func TestStartup_productionWithOwnSecrets(t *testing.T) {
	clearSecrets(t)
	setProdSecrets(t)
	c, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if c.MasterKeys != prodMasterKey || c.StripeWebhookKey != prodWebhook || c.StripeSecretKey != prodStripeKey {
		t.Error("the configuration does not carry the given secrets")
	}
}

// `make run`/`make test` need no setup: TORQUE_ENV=local (deploy/local/env.sh)
// falls back to the local stack's development secrets.
func TestStartup_localUsesDevelopmentDefaults(t *testing.T) {
	clearSecrets(t)
	t.Setenv("TORQUE_ENV", "local")
	c, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if c.MasterKeys == "" || c.StripeWebhookKey == "" || c.StripeSecretKey == "" {
		t.Error("local environment without secrets: want the development defaults")
	}
}

// Generating a master key for a new deployment needs no configuration.
func TestStartup_keysGenerateNeedsNoSecrets(t *testing.T) {
	clearSecrets(t)
	if err := run(context.Background(), []string{"keys", "generate", "k2"}); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"version"}); err != nil {
		t.Fatal(err)
	}
}

// Issue 10 item 7: outside the local environment SMTP is protected (STARTTLS
// by default, or implicit TLS) and authenticated; clear text is refused.
func TestStartup_productionRequiresProtectedSMTP(t *testing.T) {
	clearSecrets(t)
	setProdSecrets(t)
	c, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTPSecurity != "starttls" {
		t.Errorf("production SMTP security = %q, want starttls by default", c.SMTPSecurity)
	}
	for _, tc := range []struct{ name, value, want string }{
		{"TORQUE_SMTP_SECURITY", "none", "TORQUE_SMTP_SECURITY"},
		{"TORQUE_SMTP_USERNAME", "", "TORQUE_SMTP_USERNAME"},
		{"TORQUE_SMTP_PASSWORD", "", "TORQUE_SMTP_PASSWORD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setProdSecrets(t)
			t.Setenv(tc.name, tc.value)
			if _, err := loadConfig(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("%s=%q: err = %v, want a startup error naming %s", tc.name, tc.value, err, tc.want)
			}
		})
	}
	t.Setenv("TORQUE_ENV", "local")
	t.Setenv("TORQUE_SMTP_USERNAME", "")
	if c, err := loadConfig(); err != nil || c.SMTPSecurity != "none" {
		t.Errorf("local: security %q, err %v; want Mailpit in clear text", c.SMTPSecurity, err)
	}
}
