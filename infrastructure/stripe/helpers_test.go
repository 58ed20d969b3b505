package stripe_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	torquestripe "github.com/torquehq/torque/infrastructure/stripe"
)

const (
	testWebhookSecret = "whsec_test_secret_for_unit_tests"
	workshopID        = "0193a3c4-7e1f-7000-8000-000000000001"
)

// testConfig is a valid configuration pointing at stripe-mock. Tests may read
// the environment (the adapters never do).
func testConfig() torquestripe.Config {
	return torquestripe.Config{
		APIURL:        envOr("TORQUE_STRIPE_API_URL", "http://127.0.0.1:12111"),
		SecretKey:     envOr("TORQUE_STRIPE_SECRET_KEY", "sk_test_123"),
		WebhookSecret: testWebhookSecret,
		PriceIDs:      map[string]string{"basic": "price_basic", "pro": "price_pro", "franchise": "price_franchise"},
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func newVerifier(t testing.TB) *torquestripe.StripeWebhookVerifier {
	t.Helper()
	v, err := torquestripe.NewStripeWebhookVerifier(testConfig())
	if err != nil {
		t.Fatalf("NewStripeWebhookVerifier: %v", err)
	}
	return v
}

// fixture reads testdata/events/<name>.json.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "events", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sign returns the Stripe-Signature header for payload signed with secret at ts.
func sign(payload []byte, secret string, ts time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: payload, Secret: secret, Timestamp: ts,
	}).Header
}
