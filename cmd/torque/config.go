package main

import (
	"fmt"
	"github.com/torquehq/torque/internal/wiring"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// localMasterKey is the local stack's development key (deploy/local/env.sh).
// It is a default only under TORQUE_ENV=local; elsewhere TORQUE_MASTER_KEYS
// must come from a secret store and this value is refused (secrets.go).
const localMasterKey = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" //nolint:gosec // the published development key; refused outside TORQUE_ENV=local

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// localDefault is def under TORQUE_ENV=local and empty elsewhere, so that a
// secret never silently falls back to the repository's development value.
func localDefault(torqueEnv, def string) string {
	if torqueEnv == envLocal {
		return def
	}
	return ""
}

// localOr is local under TORQUE_ENV=local and other elsewhere.
func localOr(torqueEnv, local, other string) string {
	if torqueEnv == envLocal {
		return local
	}
	return other
}

// checkSMTP requires, outside the local environment, a protected and
// authenticated SMTP relay: recovery codes and invitations must not travel
// in clear text (issue 10 item 7).
func checkSMTP(torqueEnv string, c wiring.Config) error {
	if torqueEnv == envLocal {
		return nil
	}
	switch strings.ToLower(c.SMTPSecurity) {
	case "starttls", "tls":
	case "none":
		return fmt.Errorf("TORQUE_SMTP_SECURITY=none sends e-mail in clear text: only TORQUE_ENV=local allows it (use starttls or tls)")
	default:
		return fmt.Errorf("TORQUE_SMTP_SECURITY: unknown value %q (want starttls or tls)", c.SMTPSecurity)
	}
	if strings.TrimSpace(c.SMTPUser) == "" || c.SMTPPassword == "" {
		return fmt.Errorf("TORQUE_SMTP_USERNAME and TORQUE_SMTP_PASSWORD are required outside TORQUE_ENV=local (authenticated relay)")
	}
	return nil
}

func loadConfig() (wiring.Config, error) {
	torqueEnv := strings.TrimSpace(os.Getenv("TORQUE_ENV"))
	c := wiring.Config{
		HTTPAddr:           env("TORQUE_HTTP_ADDR", "127.0.0.1:8080"),
		PublicURL:          env("TORQUE_PUBLIC_URL", "http://127.0.0.1:8080"),
		DatabaseURL:        env("TORQUE_DATABASE_URL", "postgres://torque_app:torque_app@127.0.0.1:55432/torque?sslmode=disable"),
		DatabaseAdminURL:   env("TORQUE_DATABASE_ADMIN_URL", "postgres://torque:torque@127.0.0.1:55432/torque?sslmode=disable"),
		ClickHouseAddr:     env("TORQUE_CLICKHOUSE_ADDR", "127.0.0.1:19000"),
		ClickHouseDB:       env("TORQUE_CLICKHOUSE_DATABASE", "torque"),
		ClickHouseUser:     env("TORQUE_CLICKHOUSE_USER", ""),
		ClickHousePassword: env("TORQUE_CLICKHOUSE_PASSWORD", ""),
		AnalyticsKey:       env("TORQUE_ANALYTICS_KEY", ""),
		KratosPublicURL:    env("TORQUE_KRATOS_PUBLIC_URL", "http://127.0.0.1:4433"),
		KratosAdminURL:     env("TORQUE_KRATOS_ADMIN_URL", "http://127.0.0.1:4434"),
		SMTPAddr:           env("TORQUE_SMTP_ADDR", "127.0.0.1:1025"),
		StripeAPIURL:       env("TORQUE_STRIPE_API_URL", "http://127.0.0.1:12111"),
		StripeSecretKey:    env("TORQUE_STRIPE_SECRET_KEY", localDefault(torqueEnv, "sk_test_123")),
		StripeWebhookKey:   env("TORQUE_STRIPE_WEBHOOK_SECRET", localDefault(torqueEnv, "whsec_local_dev_secret")),
		MasterKeys:         env("TORQUE_MASTER_KEYS", localDefault(torqueEnv, localMasterKey)),
		KratosAdminToken:   env("TORQUE_KRATOS_ADMIN_TOKEN", ""),
		MailFrom:           env("TORQUE_MAIL_FROM", "no-reply@torque.local"),
		SMTPUser:           env("TORQUE_SMTP_USERNAME", ""),
		SMTPPassword:       env("TORQUE_SMTP_PASSWORD", ""),
		SMTPSecurity:       env("TORQUE_SMTP_SECURITY", localOr(torqueEnv, "none", "starttls")),
		TrustProxy:         env("TORQUE_TRUST_PROXY", "false") == "true",
		CEPURL:             env("TORQUE_CEP_URL", wiring.DefaultCEPURL),
		MetricsToken:       env("TORQUE_METRICS_TOKEN", ""),
		StripePrices: map[string]string{
			"basic":     env("TORQUE_STRIPE_PRICE_BASIC", "price_basic"),
			"pro":       env("TORQUE_STRIPE_PRICE_PRO", "price_pro"),
			"franchise": env("TORQUE_STRIPE_PRICE_FRANCHISE", "price_franchise"),
		},
	}
	c.Messaging = wiring.MessagingConfig{
		TokenKey:              env("TORQUE_MESSAGING_TOKEN_KEY", localDefault(torqueEnv, wiring.LocalMessagingTokenKey)),
		WhatsAppAPIURL:        env("TORQUE_WHATSAPP_API_URL", ""),
		WhatsAppPhoneNumberID: env("TORQUE_WHATSAPP_PHONE_NUMBER_ID", "100000000000001"),
		WhatsAppAccessToken:   env("TORQUE_WHATSAPP_ACCESS_TOKEN", "local-whatsapp-token"),
		WhatsAppAppSecret:     env("TORQUE_WHATSAPP_APP_SECRET", localDefault(torqueEnv, "local-whatsapp-app-secret")),
		WhatsAppVerifyToken:   env("TORQUE_WHATSAPP_VERIFY_TOKEN", "local-whatsapp-verify-token"),
		SMSAPIURL:             env("TORQUE_SMS_API_URL", ""),
		SMSAccountSID:         env("TORQUE_SMS_ACCOUNT_SID", "AClocal00000000000000000000000000"),
		SMSAuthToken:          env("TORQUE_SMS_AUTH_TOKEN", "local-sms-token"),
		SMSFrom:               env("TORQUE_SMS_FROM", "+5511900000000"),
	}
	if err := checkSecrets(torqueEnv, []secretVar{
		{"TORQUE_MASTER_KEYS", c.MasterKeys},
		{"TORQUE_STRIPE_WEBHOOK_SECRET", c.StripeWebhookKey},
		{"TORQUE_STRIPE_SECRET_KEY", c.StripeSecretKey},
		{"TORQUE_MESSAGING_TOKEN_KEY", c.Messaging.TokenKey},
	}); err != nil {
		return c, err
	}
	if err := checkSMTP(torqueEnv, c); err != nil {
		return c, err
	}
	if c.Messaging.WhatsAppAPIURL != "" { // forged delivery statuses without a real app secret
		if err := checkSecrets(torqueEnv, []secretVar{{"TORQUE_WHATSAPP_APP_SECRET", c.Messaging.WhatsAppAppSecret}}); err != nil {
			return c, err
		}
	}
	var err error
	if c.Messaging.DeliveryInterval, err = time.ParseDuration(env("TORQUE_MESSAGING_DELIVERY_INTERVAL", "1s")); err != nil {
		return c, fmt.Errorf("TORQUE_MESSAGING_DELIVERY_INTERVAL: %w", err)
	}
	if c.Messaging.WeeklyMarketingCap, err = strconv.Atoi(env("TORQUE_MESSAGING_WEEKLY_MARKETING_CAP", "2")); err != nil {
		return c, fmt.Errorf("TORQUE_MESSAGING_WEEKLY_MARKETING_CAP: %w", err)
	}
	if c.LogLevel, err = parseLevel(env("TORQUE_LOG_LEVEL", "info")); err != nil {
		return c, err
	}
	if c.ProjectionPoll, err = time.ParseDuration(env("TORQUE_PROJECTION_POLL_INTERVAL", "20ms")); err != nil {
		return c, fmt.Errorf("TORQUE_PROJECTION_POLL_INTERVAL: %w", err)
	}
	if c.ProjectionIdle, err = time.ParseDuration(env("TORQUE_PROJECTION_IDLE_INTERVAL", "5s")); err != nil {
		return c, fmt.Errorf("TORQUE_PROJECTION_IDLE_INTERVAL: %w", err)
	}
	if c.ConsistencyWait, err = time.ParseDuration(env("TORQUE_CONSISTENCY_TIMEOUT", "2s")); err != nil {
		return c, fmt.Errorf("TORQUE_CONSISTENCY_TIMEOUT: %w", err)
	}
	if c.ShutdownTimeout, err = time.ParseDuration(env("TORQUE_SHUTDOWN_TIMEOUT", "15s")); err != nil {
		return c, fmt.Errorf("TORQUE_SHUTDOWN_TIMEOUT: %w", err)
	}
	if c.ReminderEvery, err = time.ParseDuration(env("TORQUE_REMINDER_INTERVAL", "1m")); err != nil {
		return c, fmt.Errorf("TORQUE_REMINDER_INTERVAL: %w", err)
	}
	n, err := strconv.ParseInt(env("TORQUE_DATABASE_MAX_CONNS", "20"), 10, 32)
	if err != nil || n < 2 {
		return c, fmt.Errorf("TORQUE_DATABASE_MAX_CONNS: want an integer ≥ 2")
	}
	c.DatabaseMaxConns = int32(n)
	if c.TrustedProxies, err = strconv.Atoi(env("TORQUE_TRUSTED_PROXIES", "0")); err != nil || c.TrustedProxies < 0 {
		return c, fmt.Errorf("TORQUE_TRUSTED_PROXIES: want the number of proxies in front of Torque (≥ 0)")
	}
	// Issue 10 item 4: how recent a sign-in erasure, export, role changes and
	// staff removal need; keep it equal to Kratos's
	// selfservice.flows.settings.privileged_session_max_age.
	if c.PrivilegedSessionMaxAge, err = time.ParseDuration(env("TORQUE_PRIVILEGED_SESSION_MAX_AGE", "15m")); err != nil || c.PrivilegedSessionMaxAge <= 0 {
		return c, fmt.Errorf("TORQUE_PRIVILEGED_SESSION_MAX_AGE: want a positive duration such as 15m")
	}
	if c.ClickHouseAddr == "off" {
		c.ClickHouseAddr = ""
	}
	if c.AnalyticsKey != "" && len(c.AnalyticsKey) < 32 {
		return c, fmt.Errorf("TORQUE_ANALYTICS_KEY: want at least 32 characters")
	}
	return c, nil
}

// appRole is the runtime role, taken from the runtime URL, that migrations
// grant rights to.
func appRole(c wiring.Config) (string, error) {
	u, err := url.Parse(c.DatabaseURL)
	if err != nil || u.User == nil || u.User.Username() == "" {
		return "", fmt.Errorf("TORQUE_DATABASE_URL must name a user")
	}
	return u.User.Username(), nil
}

func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("TORQUE_LOG_LEVEL: unknown level %q", s)
}
