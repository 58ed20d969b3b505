package messaging_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/internal/eventstoretest"
	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
)

// memOutbox is an in-memory Outbox: every queued message is due.
type memOutbox struct {
	msgs     map[uuid.UUID]*appmsg.Message
	outcomes []appmsg.Outcome
	tenant   tenant.ID
}

func (o *memOutbox) Enqueue(_ context.Context, ms []appmsg.NewMessage) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	for _, m := range ms {
		o.msgs[m.ID] = &appmsg.Message{ID: m.ID, CustomerID: m.CustomerID, Kind: m.Kind.String(), Channel: m.Channel.String(),
			Status: "queued", Vars: m.Vars}
		ids = append(ids, m.ID)
	}
	return ids, nil
}

func (o *memOutbox) Claim(context.Context, string, time.Time, time.Duration, int) ([]appmsg.Claim, error) {
	var cs []appmsg.Claim
	for id, m := range o.msgs {
		if m.Status == "queued" {
			cs = append(cs, appmsg.Claim{Tenant: o.tenant, MessageID: id})
		}
	}
	return cs, nil
}

func (o *memOutbox) Message(_ context.Context, id uuid.UUID) (appmsg.Message, error) {
	m, ok := o.msgs[id]
	if !ok {
		return appmsg.Message{}, errs.ErrNotFound
	}
	return *m, nil
}

func (o *memOutbox) Record(_ context.Context, _ string, id uuid.UUID, out appmsg.Outcome) (bool, error) {
	o.outcomes = append(o.outcomes, out)
	m := o.msgs[id]
	if out.Attempted {
		m.Attempts++
	}
	m.Status, m.Reason, m.Channel = out.Status.String(), out.Reason, out.Channel.String()
	if out.Status == messaging.StatusQueued {
		m.Status = "waiting" // not claimed again in this test
	}
	return true, nil
}

func (o *memOutbox) ProviderStatus(context.Context, string, string, tenant.ID, uuid.UUID, messaging.Status, time.Time, string) (bool, error) {
	return false, nil
}

func (o *memOutbox) List(context.Context, appmsg.Filter, pagination.Request) (pagination.Page[appmsg.Message], error) {
	return pagination.Page[appmsg.Message]{}, nil
}
func (o *memOutbox) MarketingSentSince(context.Context, uuid.UUID, time.Time) (int, error) {
	return 0, nil
}
func (o *memOutbox) MessagesTo(context.Context, uuid.UUID) ([]appmsg.Message, error) { return nil, nil }

type fixedRecipient appmsg.Recipient

func (r fixedRecipient) Recipient(context.Context, uuid.UUID) (appmsg.Recipient, error) {
	return appmsg.Recipient(r), nil
}

type noPrefs struct{}

func (noPrefs) Preferences(context.Context, uuid.UUID) (messaging.Preferences, bool, error) {
	return messaging.Preferences{}, false, nil
}
func (noPrefs) SavePreferences(context.Context, uuid.UUID, messaging.Preferences, time.Time) error {
	return nil
}
func (noPrefs) OptOut(context.Context, uuid.UUID, messaging.Channel, messaging.Preferences, time.Time) error {
	return nil
}

type noTemplates struct{}

func (noTemplates) Templates(context.Context) ([]messaging.Template, error)           { return nil, nil }
func (noTemplates) SaveTemplate(context.Context, messaging.Template, time.Time) error { return nil }

type oneWorkshop struct{}

func (oneWorkshop) Workshop(context.Context) (appmsg.WorkshopInfo, error) {
	return appmsg.WorkshopInfo{Name: "Oficina do Zé", TimeZone: "America/Sao_Paulo"}, nil
}

type noOrders struct{}

func (noOrders) Order(context.Context, uuid.UUID) (appmsg.OrderInfo, error) {
	return appmsg.OrderInfo{}, errs.ErrNotFound
}

type noTokens struct{}

func (noTokens) Save(context.Context, appmsg.Token) error { return nil }
func (noTokens) Find(context.Context, string) (appmsg.Token, error) {
	return appmsg.Token{}, errs.ErrNotFound
}
func (noTokens) Use(context.Context, string, time.Time) (bool, error) { return false, nil }

type recordingSender struct {
	sent []appmsg.Outgoing
	err  error
}

func (s *recordingSender) Send(_ context.Context, m appmsg.Outgoing) (appmsg.Receipt, error) {
	if s.err != nil {
		return appmsg.Receipt{}, s.err
	}
	s.sent = append(s.sent, m)
	return appmsg.Receipt{Provider: "test", ProviderID: m.MessageID.String()}, nil
}

func setup(t *testing.T, email *recordingSender) (*appmsg.UseCases, *memOutbox, context.Context) {
	t.Helper()
	tid, _ := tenant.FromUUID(uuid.New())
	o := &memOutbox{msgs: map[uuid.UUID]*appmsg.Message{}, tenant: tid}
	loc, _ := time.LoadLocation("America/Sao_Paulo")
	noon := time.Date(2027, time.March, 10, 12, 0, 0, 0, loc)
	uc, err := appmsg.New(usecase.Base{Clock: func() time.Time { return noon }}, appmsg.Deps{
		Outbox: o, Prefs: noPrefs{}, OptOuts: noPrefs{}, Templates: noTemplates{}, Workshops: oneWorkshop{}, Orders: noOrders{},
		Tokens: noTokens{}, Store: eventstoretest.NewMemStore(), TokenKey: []byte("0123456789abcdef0123456789abcdef"),
		Recipients: fixedRecipient{Name: "Ana", Email: "ana@example.com", Mobile: "+5511987654321",
			Consents: map[messaging.Purpose]map[string]bool{messaging.PurposeService: {"all": true}}},
		Senders: map[messaging.Channel]appmsg.Sender{messaging.ChannelEmail: email},
		Retry:   appmsg.Retry{Base: time.Second, Max: 4 * time.Second, MaxAttempts: 3},
	})
	if err != nil {
		t.Fatal(err)
	}
	return uc, o, tenant.WithTenant(context.Background(), tid)
}

func TestDispatch_PicksOnlyChannelsThatCanSend(t *testing.T) {
	email := &recordingSender{}
	uc, o, ctx := setup(t, email)
	// Default preferences put WhatsApp first, but no WhatsApp sender is configured.
	if _, err := uc.Enqueue(ctx, appmsg.EnqueueRequest{CustomerID: uuid.New(), Kind: messaging.KindOrderStatus, DedupeKey: "e1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := uc.DispatchDue(context.Background(), appmsg.DeliveryConfig{}); err != nil {
		t.Fatal(err)
	}
	if len(email.sent) != 1 || email.sent[0].To != "ana@example.com" || o.outcomes[0].Status != messaging.StatusSent {
		t.Fatalf("sent %+v, outcomes %+v", email.sent, o.outcomes)
	}
	if email.sent[0].HTML == "" || email.sent[0].CallbackData == "" {
		t.Fatalf("outgoing %+v", email.sent[0])
	}
}

func TestDispatch_PermanentErrorsFailAtOnceOthersBackOff(t *testing.T) {
	email := &recordingSender{err: errors.Join(errors.New("550 no such user"), appmsg.ErrPermanent)}
	uc, o, ctx := setup(t, email)
	if _, err := uc.Enqueue(ctx, appmsg.EnqueueRequest{CustomerID: uuid.New(), Kind: messaging.KindOrderStatus, DedupeKey: "e1"}); err != nil {
		t.Fatal(err)
	}
	_, _ = uc.DispatchDue(context.Background(), appmsg.DeliveryConfig{})
	if got := o.outcomes[0]; got.Status != messaging.StatusFailed || got.Reason != messaging.ReasonProviderFail {
		t.Fatalf("outcome %+v", got)
	}
	email.err = errors.New("connection refused")
	if _, err := uc.Enqueue(ctx, appmsg.EnqueueRequest{CustomerID: uuid.New(), Kind: messaging.KindOrderStatus, DedupeKey: "e2"}); err != nil {
		t.Fatal(err)
	}
	_, _ = uc.DispatchDue(context.Background(), appmsg.DeliveryConfig{})
	if got := o.outcomes[1]; got.Status != messaging.StatusQueued || got.Until.IsZero() || got.LastError == "" {
		t.Fatalf("outcome %+v", got)
	}
}

func TestRetry_DelayDoublesUpToTheMax(t *testing.T) {
	r := appmsg.Retry{Base: 30 * time.Second, Max: 2 * time.Minute}
	for n, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 9: 2 * time.Minute} {
		if got := r.Delay(n); got != want {
			t.Errorf("Delay(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestMask_HidesTheAddress(t *testing.T) {
	for in, want := range map[string]string{"ana.souza@example.com": "a***@e***.com", "+5511987654321": "**********4321"} {
		if got := appmsg.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEnqueue_NeedsTenantAndDedupeKey(t *testing.T) {
	uc, _, ctx := setup(t, &recordingSender{})
	if _, err := uc.Enqueue(context.Background(), appmsg.EnqueueRequest{CustomerID: uuid.New(), Kind: messaging.KindQuote, DedupeKey: "k"}); err == nil {
		t.Fatal("enqueue without a tenant")
	}
	if _, err := uc.Enqueue(ctx, appmsg.EnqueueRequest{CustomerID: uuid.New(), Kind: messaging.KindQuote}); err == nil {
		t.Fatal("enqueue without a dedupe key")
	}
}
