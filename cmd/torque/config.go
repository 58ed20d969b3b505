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

// localMasterKey is the local stack's development key. Production sets
// TORQUE_MASTER_KEYS from a secret store; this value encrypts nothing real.
const localMasterKey = "local1:dG9ycXVlLWxvY2FsLWRldmVsb3BtZW50LWtleS0zMmI="

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func loadConfig() (wiring.Config, error) {
	c := wiring.Config{
		HTTPAddr:         env("TORQUE_HTTP_ADDR", "127.0.0.1:8080"),
		PublicURL:        env("TORQUE_PUBLIC_URL", "http://127.0.0.1:8080"),
		DatabaseURL:      env("TORQUE_DATABASE_URL", "postgres://torque_app:torque_app@127.0.0.1:55432/torque?sslmode=disable"),
		DatabaseAdminURL: env("TORQUE_DATABASE_ADMIN_URL", "postgres://torque:torque@127.0.0.1:55432/torque?sslmode=disable"),
		ClickHouseAddr:   env("TORQUE_CLICKHOUSE_ADDR", "127.0.0.1:19000"),
		ClickHouseDB:     env("TORQUE_CLICKHOUSE_DATABASE", "torque"),
		// "off" disables analytics (reports are then not served).
		ClickHouseUser:     env("TORQUE_CLICKHOUSE_USER", ""),
		ClickHousePassword: env("TORQUE_CLICKHOUSE_PASSWORD", ""),
		AnalyticsKey:       env("TORQUE_ANALYTICS_KEY", ""),
		KratosPublicURL:    env("TORQUE_KRATOS_PUBLIC_URL", "http://127.0.0.1:4433"),
		KratosAdminURL:     env("TORQUE_KRATOS_ADMIN_URL", "http://127.0.0.1:4434"),
		SMTPAddr:           env("TORQUE_SMTP_ADDR", "127.0.0.1:1025"),
		StripeAPIURL:       env("TORQUE_STRIPE_API_URL", "http://127.0.0.1:12111"),
		StripeSecretKey:    env("TORQUE_STRIPE_SECRET_KEY", "sk_test_123"),
		StripeWebhookKey:   env("TORQUE_STRIPE_WEBHOOK_SECRET", "whsec_local_dev_secret"),
		MasterKeys:         env("TORQUE_MASTER_KEYS", localMasterKey),
		KratosAdminToken:   env("TORQUE_KRATOS_ADMIN_TOKEN", ""),
		MailFrom:           env("TORQUE_MAIL_FROM", "no-reply@torque.local"),
		SMTPUser:           env("TORQUE_SMTP_USERNAME", ""),
		SMTPPassword:       env("TORQUE_SMTP_PASSWORD", ""),
		TrustProxy:         env("TORQUE_TRUST_PROXY", "false") == "true",
		CEPURL:             env("TORQUE_CEP_URL", wiring.DefaultCEPURL),
		StripePrices: map[string]string{
			"basic":     env("TORQUE_STRIPE_PRICE_BASIC", "price_basic"),
			"pro":       env("TORQUE_STRIPE_PRICE_PRO", "price_pro"),
			"franchise": env("TORQUE_STRIPE_PRICE_FRANCHISE", "price_franchise"),
		},
	}
	var err error
	if c.LogLevel, err = parseLevel(env("TORQUE_LOG_LEVEL", "info")); err != nil {
		return c, err
	}
	if c.ProjectionPoll, err = time.ParseDuration(env("TORQUE_PROJECTION_POLL_INTERVAL", "20ms")); err != nil {
		return c, fmt.Errorf("TORQUE_PROJECTION_POLL_INTERVAL: %w", err)
	}
	if c.ConsistencyWait, err = time.ParseDuration(env("TORQUE_CONSISTENCY_TIMEOUT", "2s")); err != nil {
		return c, fmt.Errorf("TORQUE_CONSISTENCY_TIMEOUT: %w", err)
	}
	if c.ShutdownTimeout, err = time.ParseDuration(env("TORQUE_SHUTDOWN_TIMEOUT", "15s")); err != nil {
		return c, fmt.Errorf("TORQUE_SHUTDOWN_TIMEOUT: %w", err)
	}
	n, err := strconv.ParseInt(env("TORQUE_DATABASE_MAX_CONNS", "20"), 10, 32)
	if err != nil || n < 2 {
		return c, fmt.Errorf("TORQUE_DATABASE_MAX_CONNS: want an integer ≥ 2")
	}
	c.DatabaseMaxConns = int32(n)
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
