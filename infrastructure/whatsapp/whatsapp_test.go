package whatsapp_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/whatsapp"
	fake "github.com/torquehq/torque/internal/fakes/whatsapp"
)

const secret = "app-secret"

func verifier(t *testing.T) *whatsapp.WebhookVerifier {
	t.Helper()
	v, err := whatsapp.NewWebhookVerifier(secret, "verify-me")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestWebhook_SignedStatusesAreRead(t *testing.T) {
	tid, _ := tenant.FromUUID(uuid.New())
	mid := uuid.New()
	body := fake.StatusWebhook("123", "wamid.X", "+5511987654321", tid.String()+":"+mid.String(), "delivered", time.Unix(1700000000, 0))
	sts, _, err := verifier(t).Parse(body, whatsapp.Sign(secret, body))
	if err != nil || len(sts) != 1 {
		t.Fatalf("statuses %+v, err %v", sts, err)
	}
	s := sts[0]
	if s.ProviderID != "wamid.X" || s.Status != messaging.StatusDelivered || s.Tenant != tid || s.MessageID != mid || !s.At.Equal(time.Unix(1700000000, 0)) {
		t.Fatalf("status = %+v", s)
	}
}

func TestWebhook_ForgedOrUnsignedIsRefused(t *testing.T) {
	body := fake.StatusWebhook("123", "wamid.X", "+5511987654321", "", "read", time.Now())
	v := verifier(t)
	for name, sig := range map[string]string{"unsigned": "", "other secret": whatsapp.Sign("other", body),
		"sha1 form": "sha1=" + strings.TrimPrefix(whatsapp.Sign(secret, body), "sha256=")} {
		if _, _, err := v.Parse(body, sig); !errors.Is(err, whatsapp.ErrBadSignature) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	tampered := []byte(strings.Replace(string(body), "read", "sent", 1))
	if v.Verify(tampered, whatsapp.Sign(secret, body)) {
		t.Error("a tampered body verified")
	}
}

func TestWebhook_SubscriptionHandshake(t *testing.T) {
	v := verifier(t)
	if c, ok := v.VerifySubscription("subscribe", "verify-me", "1158201444"); !ok || c != "1158201444" {
		t.Fatalf("handshake = %q %v", c, ok)
	}
	if _, ok := v.VerifySubscription("subscribe", "wrong", "1"); ok {
		t.Fatal("wrong token accepted")
	}
}

func TestWebhook_InboundMessagesOpenTheWindow(t *testing.T) {
	body := []byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
	"messaging_product":"whatsapp","metadata":{"display_phone_number":"5511","phone_number_id":"123"},
	"contacts":[{"profile":{"name":"Ana"},"wa_id":"5511987654321"}],
	"messages":[{"from":"5511987654321","id":"wamid.IN","timestamp":"1700000000","type":"text","text":{"body":"oi"}}]}}]}]}`)
	_, in, err := whatsapp.ParsePayload(body)
	if err != nil || len(in) != 1 || in[0].From != "+5511987654321" {
		t.Fatalf("inbound %+v, err %v", in, err)
	}
}

func FuzzParsePayload(f *testing.F) {
	f.Add(fake.StatusWebhook("1", "wamid.A", "5511", "x:y", "sent", time.Unix(1, 0)))
	f.Add([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"a","status":"read","timestamp":"-1"}],"messages":[{"from":"12a"}]}}]}]}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, body []byte) {
		sts, in, err := whatsapp.ParsePayload(body)
		if err != nil {
			return
		}
		for _, s := range sts {
			if s.ProviderID == "" || s.Status.Rank() == 0 || s.At.IsZero() {
				t.Fatalf("bad status %+v", s)
			}
		}
		for _, m := range in {
			if !strings.HasPrefix(m.From, "+") || m.At.IsZero() {
				t.Fatalf("bad inbound %+v", m)
			}
		}
	})
}

func sender(t *testing.T, url string) *whatsapp.CloudAPISender {
	t.Helper()
	s, err := whatsapp.NewSender(whatsapp.Config{APIURL: url + "/v21.0", PhoneNumberID: "123", AccessToken: "tok",
		AppSecret: secret, VerifyToken: "v"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSender_TemplateOutsideTheWindowTextInside(t *testing.T) {
	f := fake.New()
	f.AccessToken = "tok"
	srv := httptest.NewServer(f)
	defer srv.Close()
	s := sender(t, srv.URL)
	out := appmsg.Outgoing{MessageID: uuid.New(), CallbackData: "t:m", To: "+5511987654321", Text: "Olá, Ana!\nSeu carro está pronto.",
		Template: "torque_order_status"}
	rec, err := s.Send(context.Background(), out)
	if err != nil || !strings.HasPrefix(rec.ProviderID, "wamid.") {
		t.Fatalf("receipt %+v, err %v", rec, err)
	}
	out.SessionOpen = true
	if _, err := s.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	ms := f.Messages()
	if len(ms) != 2 || ms[0].Type != "template" || ms[0].Template != "torque_order_status" || strings.Contains(ms[0].Text, "\n") ||
		ms[1].Type != "text" || ms[1].Text != out.Text || ms[0].To != "5511987654321" || ms[0].CallbackData != "t:m" {
		t.Fatalf("fake got %+v", ms)
	}
}

func TestSender_ProviderErrorsRetryOrNot(t *testing.T) {
	f := fake.New()
	f.AccessToken = "tok"
	f.FailNext = 1
	srv := httptest.NewServer(f)
	defer srv.Close()
	s := sender(t, srv.URL)
	out := appmsg.Outgoing{MessageID: uuid.New(), To: "+5511987654321", Text: "x", Template: "t"}
	if _, err := s.Send(context.Background(), out); err == nil || errors.Is(err, appmsg.ErrPermanent) {
		t.Fatalf("a 500 must be retried: %v", err)
	}
	out.To = "not-a-number"
	if _, err := s.Send(context.Background(), out); !errors.Is(err, appmsg.ErrPermanent) {
		t.Fatalf("a refused number must not be retried: %v", err)
	}
}
