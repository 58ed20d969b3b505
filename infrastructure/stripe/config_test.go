package stripe_test

import (
	"strings"
	"testing"

	torquestripe "github.com/torquehq/torque/infrastructure/stripe"
)

func TestConfig_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		mutate  func(*torquestripe.Config)
		wantErr string // substring; empty means valid
	}{
		{"valid", func(*torquestripe.Config) {}, ""},
		{"default API URL", func(c *torquestripe.Config) { c.APIURL = "" }, ""},
		{"restricted key", func(c *torquestripe.Config) { c.SecretKey = "rk_test_abc" }, ""},
		{"relative API URL", func(c *torquestripe.Config) { c.APIURL = "127.0.0.1:12111" }, "APIURL"},
		{"no secret key", func(c *torquestripe.Config) { c.SecretKey = "" }, "SecretKey is required"},
		{"publishable key", func(c *torquestripe.Config) { c.SecretKey = "pk_test_abc" }, "SecretKey must be"},
		{"no webhook secret", func(c *torquestripe.Config) { c.WebhookSecret = "" }, "WebhookSecret is required"},
		{"api key as webhook secret", func(c *torquestripe.Config) { c.WebhookSecret = "sk_test_123" }, "WebhookSecret must be"},
		{"missing plan price", func(c *torquestripe.Config) { delete(c.PriceIDs, "franchise") }, `no price for plan "franchise"`},
		{"empty plan price", func(c *torquestripe.Config) { c.PriceIDs["basic"] = "" }, `no price for plan "basic"`},
		{"unknown plan", func(c *torquestripe.Config) { c.PriceIDs["enterprise"] = "price_ent" }, `unknown plan "enterprise"`},
		{"shared price", func(c *torquestripe.Config) { c.PriceIDs["basic"] = "price_pro" }, "share price"},
		{"negative tolerance", func(c *torquestripe.Config) { c.WebhookTolerance = -1 }, "WebhookTolerance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig()
			tt.mutate(&cfg)
			_, gwErr := torquestripe.NewStripeGateway(cfg)
			_, vErr := torquestripe.NewStripeWebhookVerifier(cfg)
			for _, err := range []error{gwErr, vErr} {
				switch {
				case tt.wantErr == "" && err != nil:
					t.Errorf("unexpected error: %v", err)
				case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
					t.Errorf("error %v, want one containing %q", err, tt.wantErr)
				}
			}
		})
	}
}

func TestConfig_Validate_reportsEveryProblem(t *testing.T) {
	t.Parallel()
	err := torquestripe.Config{}.Validate()
	if err == nil {
		t.Fatal("empty config: want an error")
	}
	for _, want := range []string{"SecretKey", "WebhookSecret", `"basic"`, `"pro"`, `"franchise"`, "WebhookTolerance", "HTTPClient"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}
