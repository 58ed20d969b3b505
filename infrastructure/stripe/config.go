// Package stripe implements the billing ports on Stripe with stripe-go v76:
// StripeGateway (customers, Checkout, billing portal) and
// StripeWebhookVerifier (signed webhooks). Each adapter owns its own
// stripe-go client; nothing here touches stripe-go's package-level state
// (stripe.Key, stripe.SetBackend), so several configurations can live in one
// process and in parallel tests.
package stripe

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/torquehq/torque/application/billing"
)

// Defaults applied by setDefaults.
const (
	// DefaultWebhookTolerance is how old a webhook signature may be. Stripe
	// recommends five minutes; it bounds how long a captured request could
	// be replayed.
	DefaultWebhookTolerance = 5 * time.Minute
	// DefaultHTTPTimeout bounds one HTTP request to the API, retries aside.
	DefaultHTTPTimeout = 30 * time.Second
	// DefaultMaxNetworkRetries is how often stripe-go retries a request that
	// failed in a retryable way (network error, 409, 429, 5xx). Our creates
	// carry idempotency keys, so a retry never duplicates a customer.
	DefaultMaxNetworkRetries = 2
	// DefaultLocale is the language of Checkout, the portal and emails: our
	// customers are Brazilian workshops.
	DefaultLocale = "pt-BR"
)

// Config configures both Stripe adapters. cmd/torque fills it from the
// environment; the adapters never read the environment themselves.
type Config struct {
	// APIURL replaces Stripe's API base URL, e.g. "http://127.0.0.1:12111"
	// for stripe-mock. Empty means stripe-go's default (the real API).
	APIURL string
	// SecretKey is the API key: "sk_test_…"/"sk_live_…", or a restricted
	// "rk_…" key allowed to write customers, Checkout and portal sessions.
	SecretKey string
	// WebhookSecret is the signing secret of our webhook endpoint ("whsec_…").
	WebhookSecret string
	// PriceIDs maps each plan's wire name (basic, pro, franchise) to its
	// recurring Stripe price id. Every plan needs one, and the ids must be
	// distinct: webhooks are mapped back from price to plan.
	PriceIDs map[string]string
	// HTTPClient carries the API calls. Default: a client with a
	// DefaultHTTPTimeout timeout (never http.DefaultClient, which has none).
	HTTPClient *http.Client
	// WebhookTolerance is the maximum age of a webhook signature.
	// Default: DefaultWebhookTolerance.
	WebhookTolerance time.Duration
	// MaxNetworkRetries: see DefaultMaxNetworkRetries. A negative value
	// disables retries; zero means the default.
	MaxNetworkRetries int
	// Locale is the language of Checkout and the billing portal.
	// Default: DefaultLocale.
	Locale string
	// Logger receives stripe-go's warnings and errors; its informational
	// request lines go at debug level. Nil discards everything.
	Logger *slog.Logger
}

func (c *Config) setDefaults() {
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: DefaultHTTPTimeout}
	}
	if c.WebhookTolerance == 0 {
		c.WebhookTolerance = DefaultWebhookTolerance
	}
	if c.MaxNetworkRetries == 0 {
		c.MaxNetworkRetries = DefaultMaxNetworkRetries
	}
	if c.MaxNetworkRetries < 0 {
		c.MaxNetworkRetries = 0
	}
	if c.Locale == "" {
		c.Locale = DefaultLocale
	}
}

// Validate reports every problem with the configuration at once. It expects
// the defaults to be applied where the zero value is not meaningful.
func (c Config) Validate() error {
	var problems []error
	if c.APIURL != "" {
		u, err := url.Parse(c.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			problems = append(problems, fmt.Errorf("APIURL %q: want an absolute http(s) URL", c.APIURL))
		}
	}
	switch {
	case c.SecretKey == "":
		problems = append(problems, errors.New("SecretKey is required"))
	case !strings.HasPrefix(c.SecretKey, "sk_") && !strings.HasPrefix(c.SecretKey, "rk_"):
		// Most often a publishable key (pk_) or the webhook secret in the wrong variable.
		problems = append(problems, errors.New("SecretKey must be a secret (sk_) or restricted (rk_) key"))
	}
	switch {
	case c.WebhookSecret == "":
		problems = append(problems, errors.New("WebhookSecret is required"))
	case !strings.HasPrefix(c.WebhookSecret, "whsec_"):
		problems = append(problems, errors.New("WebhookSecret must be a webhook signing secret (whsec_)"))
	}
	seen := make(map[string]string, len(c.PriceIDs))
	for name, price := range c.PriceIDs {
		if _, err := billing.ParsePlan(name); err != nil {
			problems = append(problems, fmt.Errorf("PriceIDs: unknown plan %q", name))
			continue
		}
		if price == "" {
			continue // reported as missing below
		}
		if other, dup := seen[price]; dup {
			problems = append(problems, fmt.Errorf("PriceIDs: plans %q and %q share price %q", other, name, price))
		}
		seen[price] = name
	}
	for _, p := range billing.Plans() {
		if c.PriceIDs[p.String()] == "" {
			problems = append(problems, fmt.Errorf("PriceIDs: no price for plan %q", p))
		}
	}
	if c.WebhookTolerance <= 0 {
		problems = append(problems, errors.New("WebhookTolerance must be positive"))
	}
	if c.HTTPClient == nil {
		problems = append(problems, errors.New("HTTPClient is required"))
	}
	if len(problems) > 0 {
		return fmt.Errorf("stripe config: %w", errors.Join(problems...))
	}
	return nil
}

// withDefaults returns a validated copy of c with the defaults applied.
func (c Config) withDefaults() (Config, error) {
	c.setDefaults()
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	// Copy the map: the caller may keep mutating its own.
	prices := make(map[string]string, len(c.PriceIDs))
	for k, v := range c.PriceIDs {
		prices[k] = v
	}
	c.PriceIDs = prices
	return c, nil
}
