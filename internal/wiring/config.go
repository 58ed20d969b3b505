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
	// SMTPSecurity is "starttls", "tls" or "none" (empty: none, for tests and
	// the local Mailpit; cmd/torque requires TLS outside TORQUE_ENV=local).
	SMTPSecurity     string
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
	// TrustedProxies is the number of proxies appending to X-Forwarded-For
	// (0: one if TrustProxy).
	TrustedProxies int
	// PrivilegedSessionMaxAge is how recent a sign-in privileged actions
	// (erase, export, role change, staff removal, the MFA policy) need; 0
	// means session.DefaultPrivilegedMaxAge (15 min, as Kratos).
	PrivilegedSessionMaxAge time.Duration
	// MetricsToken guards /metrics on the public listener (empty: loopback only).
	MetricsToken string
	// CEPURL is the base URL of a ViaCEP-compatible address service
	// (default DefaultCEPURL); when it cannot be reached, forms fall back to
	// manual address entry.
	CEPURL string
	// Messaging configures the messages to car owners (issue 11).
	Messaging MessagingConfig
	// LogOutput receives the JSON logs (default stderr).
	LogOutput io.Writer
	// ReminderEvery is how often the worker runs the maintenance-reminder
	// scheduler (0: ReminderSchedulerEvery; negative: never).
	ReminderEvery time.Duration
	// ProjectionIdle bounds how long an idle consumer waits for a wake-up
	// before it reads the topic anyway (0: bus.DefaultIdleInterval).
	ProjectionIdle time.Duration
	// WakeWindow is the least time between two wake-ups this process sends
	// after its appends (0: 5 ms; see bus.Notifier).
	WakeWindow time.Duration
}

// DefaultCEPURL is the public CEP service the address forms ask.
const DefaultCEPURL = "https://viacep.com.br"

// MessagingConfig configures messaging: the token key of public links,
// the delivery worker and the WhatsApp and SMS providers. A provider whose
// URL is empty is off: its channel is never chosen.
type MessagingConfig struct {
	// TokenKey keys the feedback and unsubscribe links (≥ 32 bytes).
	TokenKey string
	// DeliveryInterval is the worker's poll interval when idle (default 1 s;
	// negative: the worker does not deliver, tests call DispatchDue).
	DeliveryInterval time.Duration
	// WeeklyMarketingCap per customer (default 2; negative: none).
	WeeklyMarketingCap int
	// WhatsApp Cloud API.
	WhatsAppAPIURL, WhatsAppPhoneNumberID, WhatsAppAccessToken string
	WhatsAppAppSecret, WhatsAppVerifyToken                     string
	// SMS through Twilio's Messages API.
	SMSAPIURL, SMSAccountSID, SMSAuthToken, SMSFrom string
	// Retry overrides the backoff (tests).
	RetryBase time.Duration
}
