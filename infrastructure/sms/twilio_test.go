package sms_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/infrastructure/sms"
	fake "github.com/torquehq/torque/internal/fakes/sms"
)

func TestTwilioSender_SendsTheDocumentedForm(t *testing.T) {
	f := fake.New()
	f.AccountSID, f.AuthToken = "AC123", "secret"
	srv := httptest.NewServer(f)
	defer srv.Close()
	s, err := sms.New(sms.Config{APIURL: srv.URL, AccountSID: "AC123", AuthToken: "secret", From: "+5511900000000"})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := s.Send(context.Background(), appmsg.Outgoing{MessageID: uuid.New(), To: "+5511987654321", Text: "Olá, Ana!"})
	if err != nil || !strings.HasPrefix(rec.ProviderID, "SM") || rec.Provider != sms.Provider {
		t.Fatalf("receipt %+v err %v", rec, err)
	}
	ms := f.Messages()
	if len(ms) != 1 || ms[0].To != "+5511987654321" || ms[0].From != "+5511900000000" || ms[0].Body != "Olá, Ana!" {
		t.Fatalf("fake got %+v", ms)
	}
	bad, _ := sms.New(sms.Config{APIURL: srv.URL, AccountSID: "AC123", AuthToken: "wrong", From: "+5511900000000"})
	if _, err := bad.Send(context.Background(), appmsg.Outgoing{To: "+5511987654321", Text: "x"}); !errors.Is(err, appmsg.ErrPermanent) {
		t.Fatalf("bad credentials: %v", err)
	}
	f.FailNext = 1
	if _, err := s.Send(context.Background(), appmsg.Outgoing{To: "+5511987654321", Text: "x"}); err == nil || errors.Is(err, appmsg.ErrPermanent) {
		t.Fatalf("a 500 must be retried: %v", err)
	}
}
