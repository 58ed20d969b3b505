package stripe_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/application/billing"
	torquestripe "github.com/torquehq/torque/infrastructure/stripe"
)

func unix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

func TestStripeWebhookVerifier_Verify_events(t *testing.T) {
	t.Parallel()
	v := newVerifier(t)
	tests := []struct {
		fixture string
		want    billing.WebhookEvent
	}{
		{"checkout_session_completed", billing.WebhookEvent{
			ID: "evt_1QcheckoutCompleted0001", Type: billing.EventCheckoutSessionCompleted, Created: unix(1793620800),
			WorkshopID: workshopID, CustomerID: "cus_Pq1a2b3c4d", SubscriptionID: "sub_1QpRo0001",
		}},
		{"customer_subscription_created", billing.WebhookEvent{
			ID: "evt_1QsubCreated0001", Type: billing.EventCustomerSubscriptionCreated, Created: unix(1793620798),
			WorkshopID: workshopID, CustomerID: "cus_Pq1a2b3c4d", SubscriptionID: "sub_1QpRo0001",
			SubscriptionStatus: "trialing", CurrentPeriodEnd: unix(1794830398), Plan: "pro",
		}},
		{"customer_subscription_updated", billing.WebhookEvent{
			ID: "evt_1QsubUpdated0001", Type: billing.EventCustomerSubscriptionUpdated, Created: unix(1797200000),
			WorkshopID: workshopID, CustomerID: "cus_Pq1a2b3c4d", SubscriptionID: "sub_1QpRo0001",
			SubscriptionStatus: "past_due", CurrentPeriodEnd: unix(1799792000), Plan: "pro",
		}},
		{"customer_subscription_updated_basil", billing.WebhookEvent{
			ID: "evt_1RsubUpdatedBasil01", Type: billing.EventCustomerSubscriptionUpdated, Created: unix(1794830400),
			WorkshopID: workshopID, CustomerID: "cus_Pq1a2b3c4d", SubscriptionID: "sub_1QpRo0001",
			SubscriptionStatus: "active", CurrentPeriodEnd: unix(1797508798), Plan: "franchise",
		}},
		{"customer_subscription_deleted", billing.WebhookEvent{
			ID: "evt_1QsubDeleted0001", Type: billing.EventCustomerSubscriptionDeleted, Created: unix(1799000000),
			WorkshopID: workshopID, CustomerID: "cus_Pq1a2b3c4d", SubscriptionID: "sub_1QpRo0001",
			SubscriptionStatus: "canceled", CurrentPeriodEnd: unix(1799792000), Plan: "pro",
		}},
		{"invoice_paid", billing.WebhookEvent{
			ID: "evt_1QinvoicePaid0001", Type: billing.EventInvoicePaid, Created: unix(1794830460),
			WorkshopID: workshopID, CustomerID: "cus_Pq1a2b3c4d", SubscriptionID: "sub_1QpRo0001",
			CurrentPeriodEnd: unix(1797508798), Plan: "pro",
		}},
		{"invoice_paid_basil", billing.WebhookEvent{
			ID: "evt_1RinvoicePaidBasil01", Type: billing.EventInvoicePaid, Created: unix(1794830460),
			WorkshopID: workshopID, CustomerID: "cus_Pq1a2b3c4d", SubscriptionID: "sub_1QpRo0001",
			CurrentPeriodEnd: unix(1797508798), Plan: "franchise", // the proration line for pro is skipped
		}},
		{"invoice_payment_failed", billing.WebhookEvent{
			ID: "evt_1QinvoiceFailed0001", Type: billing.EventInvoicePaymentFailed, Created: unix(1797200030),
			WorkshopID: workshopID, CustomerID: "cus_Pq1a2b3c4d", SubscriptionID: "sub_1QpRo0001",
			CurrentPeriodEnd: unix(1799792000), Plan: "pro",
		}},
		{"customer_updated", billing.WebhookEvent{ // not handled: parsed, fields left empty
			ID: "evt_1QcustomerUpdated01", Type: "customer.updated", Created: unix(1793620900),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			payload := fixture(t, tt.fixture)
			got, err := v.Verify(payload, sign(payload, testWebhookSecret, time.Now()))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got != tt.want {
				t.Errorf("Verify\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestStripeWebhookVerifier_Verify_badSignature(t *testing.T) {
	t.Parallel()
	v := newVerifier(t)
	payload := fixture(t, "customer_subscription_updated")
	now := time.Now()
	tampered := bytes.Replace(payload, []byte(`"status": "past_due"`), []byte(`"status": "active"`), 1)
	if bytes.Equal(tampered, payload) {
		t.Fatal("fixture changed: nothing tampered")
	}
	good := sign(payload, testWebhookSecret, now)

	tests := []struct {
		name    string
		payload []byte
		header  string
	}{
		{"wrong secret", payload, sign(payload, "whsec_someone_else", now)},
		{"tampered body", tampered, good},
		{"signature of another body", payload, sign(fixture(t, "invoice_paid"), testWebhookSecret, now)},
		{"older than the tolerance", payload, sign(payload, testWebhookSecret, now.Add(-torquestripe.DefaultWebhookTolerance-time.Minute))},
		{"missing header", payload, ""},
		{"garbage header", payload, "not a signature"},
		{"no v1 signature", payload, strings.Replace(good, "v1=", "v0=", 1)},
		{"timestamp without signature", payload, good[:strings.Index(good, ",")]},
		{"signature without timestamp", payload, good[strings.Index(good, ",")+1:]},
		{"re-dated signature", payload, strings.Replace(good, good[:strings.Index(good, ",")], "t=1", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := v.Verify(tt.payload, tt.header)
			if !errors.Is(err, billing.ErrBadSignature) {
				t.Fatalf("Verify: err = %v, want ErrBadSignature", err)
			}
			if errors.Is(err, billing.ErrMalformedEvent) {
				t.Errorf("Verify: err = %v also wraps ErrMalformedEvent", err)
			}
			if ev != (billing.WebhookEvent{}) {
				t.Errorf("Verify returned an event with a bad signature: %+v", ev)
			}
		})
	}
}

func TestStripeWebhookVerifier_Verify_withinTolerance(t *testing.T) {
	t.Parallel()
	v := newVerifier(t)
	payload := fixture(t, "invoice_paid")
	header := sign(payload, testWebhookSecret, time.Now().Add(-torquestripe.DefaultWebhookTolerance+time.Minute))
	if _, err := v.Verify(payload, header); err != nil {
		t.Fatalf("Verify 4 minutes old: %v", err)
	}
}

func TestStripeWebhookVerifier_Verify_rolledSecret(t *testing.T) {
	t.Parallel()
	// While a secret is being rolled, Stripe signs with both; one matching v1 suffices.
	v := newVerifier(t)
	payload := fixture(t, "invoice_paid")
	now := time.Now()
	old := sign(payload, "whsec_old", now)
	cur := sign(payload, testWebhookSecret, now)
	header := old + "," + cur[strings.Index(cur, ",")+1:]
	if _, err := v.Verify(payload, header); err != nil {
		t.Fatalf("Verify with two signatures: %v", err)
	}
}

func TestStripeWebhookVerifier_Verify_malformed(t *testing.T) {
	t.Parallel()
	v := newVerifier(t)
	tests := []struct{ name, body string }{
		{"not json", `not json`},
		{"empty object", `{}`},
		{"no id", `{"object":"event","type":"invoice.paid","created":1793620800,"data":{"object":{"id":"in_1"}}}`},
		{"no created", `{"id":"evt_1","object":"event","type":"invoice.paid","data":{"object":{"id":"in_1"}}}`},
		{"handled type without data", `{"id":"evt_1","object":"event","type":"invoice.paid","created":1793620800}`},
		{"null data.object", `{"id":"evt_1","object":"event","type":"customer.subscription.deleted","created":1793620800,"data":{"object":null}}`},
		{"data.object not an object", `{"id":"evt_1","object":"event","type":"invoice.paid","created":1793620800,"data":{"object":"in_1"}}`},
		{"wrong field type", `{"id":"evt_1","object":"event","type":"customer.subscription.updated","created":1793620800,"data":{"object":{"id":"sub_1","status":7}}}`},
		{"wrong nested type", `{"id":"evt_1","object":"event","type":"invoice.paid","created":1793620800,"data":{"object":{"id":"in_1","lines":{"data":[{"period":{"end":"soon"}}]}}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := []byte(tt.body)
			_, err := v.Verify(body, sign(body, testWebhookSecret, time.Now()))
			if !errors.Is(err, billing.ErrMalformedEvent) || errors.Is(err, billing.ErrBadSignature) {
				t.Fatalf("Verify: err = %v, want ErrMalformedEvent only", err)
			}
		})
	}
}

func TestStripeWebhookVerifier_Verify_unknownPrice(t *testing.T) {
	t.Parallel()
	v := newVerifier(t)
	payload := bytes.ReplaceAll(fixture(t, "customer_subscription_updated"), []byte(`"price_pro"`), []byte(`"price_legacy_2019"`))
	ev, err := v.Verify(payload, sign(payload, testWebhookSecret, time.Now()))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if ev.Plan != "" || ev.SubscriptionStatus != "past_due" {
		t.Errorf("Verify: plan %q status %q, want no plan and past_due", ev.Plan, ev.SubscriptionStatus)
	}
}

func TestStripeWebhookVerifier_Verify_expandedCheckoutSubscription(t *testing.T) {
	t.Parallel()
	v := newVerifier(t)
	body := []byte(`{"id":"evt_2","object":"event","type":"checkout.session.completed","created":1793620800,
	  "data":{"object":{"id":"cs_1","object":"checkout.session","client_reference_id":"w-ref","metadata":{},
	    "customer":{"id":"cus_9","object":"customer"},
	    "subscription":{"id":"sub_9","object":"subscription","status":"active","customer":"cus_9",
	      "metadata":{"workshop_id":"w-sub"},"current_period_end":1796299200,
	      "items":{"data":[{"price":{"id":"price_basic"}}]}}}}}`)
	got, err := v.Verify(body, sign(body, testWebhookSecret, time.Now()))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	want := billing.WebhookEvent{
		ID: "evt_2", Type: billing.EventCheckoutSessionCompleted, Created: unix(1793620800),
		WorkshopID: "w-ref", CustomerID: "cus_9", SubscriptionID: "sub_9", SubscriptionStatus: "active",
		CurrentPeriodEnd: unix(1796299200), Plan: "basic",
	}
	if got != want {
		t.Errorf("Verify\n got %+v\nwant %+v", got, want)
	}
}

// TestStripeWebhookVerifier_feedsNextStatus delivers the fixtures of one
// subscription's life out of order through the verifier into NextStatus.
func TestStripeWebhookVerifier_feedsNextStatus(t *testing.T) {
	t.Parallel()
	v := newVerifier(t)
	state := billing.WorkshopBillingState{Status: billing.StatusTrialing}
	for _, name := range []string{
		"checkout_session_completed",
		"invoice_payment_failed",        // renewal fails…
		"customer_subscription_created", // …the trial's start arrives late: stale
		"customer_updated",              // not handled
		"invoice_paid",                  // older than the failure: stale
		"customer_subscription_deleted",
		"customer_subscription_updated", // older than the deletion: must not resurrect
	} {
		payload := fixture(t, name)
		ev, err := v.Verify(payload, sign(payload, testWebhookSecret, time.Now()))
		if err != nil {
			t.Fatalf("%s: Verify: %v", name, err)
		}
		state, _ = billing.NextStatus(state, ev)
	}
	if state.Status != billing.StatusCanceled || state.SubscriptionID != "sub_1QpRo0001" || state.CustomerID != "cus_Pq1a2b3c4d" {
		t.Errorf("final state %+v, want canceled sub_1QpRo0001 of cus_Pq1a2b3c4d", state)
	}
}
