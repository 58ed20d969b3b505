package wiring

import (
	"io"
	"log/slog"
	"time"
)

// Config is everything the composition root needs. cmd/torque fills it from
// TORQUE_* variables (documented in README.md); tests fill it directly.
type Config struct {
	HTTPAddr         string
	PublicURL        string
	DatabaseURL      string
	DatabaseAdminURL string
	DatabaseMaxConns int32
	ClickHouseAddr   string
	ClickHouseDB     string
	// ClickHouseUser and ClickHousePassword authenticate to ClickHouse
	// (default user "default", no password).
	ClickHouseUser     string
	ClickHousePassword string
	// AnalyticsKey is the root key of the analytics pseudonyms (at least 32
	// bytes); empty derives one from MasterKeys. Changing it changes every
	// pseudonym: run `torque projections rebuild analytics` after.
	AnalyticsKey     string
	KratosPublicURL  string
	KratosAdminURL   string
	KratosAdminToken string
	SMTPAddr         string
	SMTPUser         string
	SMTPPassword     string
	MailFrom         string
	StripeAPIURL     string
	StripeSecretKey  string
	StripeWebhookKey string
	StripePrices     map[string]string
	MasterKeys       string
	LogLevel         slog.Level
	ProjectionPoll   time.Duration
	ConsistencyWait  time.Duration
	ShutdownTimeout  time.Duration
	TrustProxy       bool
	// CEPURL is the base URL of a ViaCEP-compatible address service
	// (default DefaultCEPURL); when it cannot be reached, forms fall back to
	// manual address entry.
	CEPURL string
	// LogOutput receives the JSON logs (default stderr).
	LogOutput io.Writer
}

// DefaultCEPURL is the public CEP service the address forms ask.
const DefaultCEPURL = "https://viacep.com.br"
