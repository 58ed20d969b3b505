package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/torquehq/torque/internal/e2e"
)

func subscriptionEvent(id, typ, workshopID, status string, created time.Time) []byte {
	return []byte(fmt.Sprintf(`{"id":%q,"object":"event","api_version":"2023-10-16","created":%d,"livemode":false,
	 "type":%q,"data":{"object":{"id":"sub_e2e_1","object":"subscription","status":%q,"customer":"cus_e2e_1",
	 "current_period_end":%d,"metadata":{"workshop_id":%q},
	 "items":{"object":"list","data":[{"id":"si_1","object":"subscription_item","price":{"id":"price_pro","object":"price"}}]}}}}`,
		id, created.Unix(), typ, status, created.Add(30*24*time.Hour).Unix(), workshopID))
}

func sendWebhook(t *testing.T, env *e2e.Env, payload []byte, secret string) e2e.Response {
	t.Helper()
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now()})
	return env.Do(t, http.MethodPost, "/api/v1/billing/stripe/webhook", "", payload, "Stripe-Signature", signed.Header)
}

func workshopStatus(t *testing.T, env *e2e.Env, w e2e.Workshop) string {
	t.Helper()
	r := env.Do(t, http.MethodGet, "/api/v1/workshops/"+w.Slug, w.OwnerToken, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("read workshop: %d %s", r.Status, r.Body)
	}
	s, _ := r.JSON()["status"].(string)
	return s
}

func TestStripeWebhooks_SignatureIdempotenceOrderAndReadOnlyIntegration(t *testing.T) {
	env := e2e.Start(t)
	w := env.Signup(t, "pro")
	t0 := time.Now().Add(-time.Hour).Truncate(time.Second)

	active := subscriptionEvent("evt_e2e_active_"+e2e.Unique(), "customer.subscription.updated", w.ID, "active", t0.Add(time.Minute))
	if r := sendWebhook(t, env, active, "whsec_wrong"); r.Status != http.StatusBadRequest {
		t.Fatalf("bad signature: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, http.MethodPost, "/api/v1/billing/stripe/webhook", "", active); r.Status != http.StatusBadRequest {
		t.Fatalf("missing signature: %d", r.Status)
	}
	if got := workshopStatus(t, env, w); got != "trialing" {
		t.Fatalf("an unsigned event changed the status to %s", got)
	}

	first := sendWebhook(t, env, active, e2e.TestStripeWebhookSecret)
	second := sendWebhook(t, env, active, e2e.TestStripeWebhookSecret)
	if first.Status != http.StatusOK || first.JSON()["applied"] != true {
		t.Fatalf("first delivery: %d %s", first.Status, first.Body)
	}
	if second.Status != http.StatusOK || second.JSON()["applied"] != false {
		t.Fatalf("the same event applied twice: %d %s", second.Status, second.Body)
	}
	if got := workshopStatus(t, env, w); got != "active" {
		t.Fatalf("after subscription active: %s", got)
	}

	deleted := subscriptionEvent("evt_e2e_deleted_"+e2e.Unique(), "customer.subscription.deleted", w.ID, "canceled", t0.Add(3*time.Minute))
	if r := sendWebhook(t, env, deleted, e2e.TestStripeWebhookSecret); r.Status != http.StatusOK {
		t.Fatalf("deleted: %d %s", r.Status, r.Body)
	}
	// An older update delivered late must not resurrect the workshop.
	late := subscriptionEvent("evt_e2e_late_"+e2e.Unique(), "customer.subscription.updated", w.ID, "active", t0.Add(2*time.Minute))
	if r := sendWebhook(t, env, late, e2e.TestStripeWebhookSecret); r.Status != http.StatusOK {
		t.Fatalf("late: %d %s", r.Status, r.Body)
	}
	if got := workshopStatus(t, env, w); got != "canceled" {
		t.Fatalf("after deletion and a late update: %s", got)
	}
	r := env.Do(t, http.MethodPatch, "/api/v1/workshops/"+w.Slug, w.OwnerToken, `{"name":"Nome novo"}`)
	if r.Status != http.StatusPaymentRequired || r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("a write on a canceled workshop: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, http.MethodGet, "/api/v1/workshops/"+w.Slug+"/staff", w.OwnerToken, nil); r.Status != http.StatusOK {
		t.Fatalf("a canceled workshop can no longer read: %d", r.Status)
	}
}
