package messaging_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/internal/eventstoretest"
	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
)

type memPrefs struct {
	mu sync.Mutex
	m  map[uuid.UUID]messaging.Preferences
}

func (p *memPrefs) Preferences(_ context.Context, id uuid.UUID) (messaging.Preferences, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	v, ok := p.m[id]
	return v, ok, nil
}

func (p *memPrefs) SavePreferences(_ context.Context, id uuid.UUID, v messaging.Preferences, _ time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m[id] = v
	return nil
}

func TestMyPreferences_carOwnerSetsAllTheirRecords(t *testing.T) {
	t.Parallel()
	tid, _ := tenant.FromUUID(uuid.New())
	prefs := &memPrefs{m: map[uuid.UUID]messaging.Preferences{}}
	uc, err := appmsg.New(usecase.Base{}, appmsg.Deps{
		Outbox: &memOutbox{msgs: map[uuid.UUID]*appmsg.Message{}, tenant: tid}, Prefs: prefs, OptOuts: noPrefs{},
		Templates: noTemplates{}, Workshops: oneWorkshop{}, Orders: noOrders{}, Tokens: noTokens{},
		Store: eventstoretest.NewMemStore(), TokenKey: []byte("0123456789abcdef0123456789abcdef"),
		Recipients: fixedRecipient{Name: "Ana"}})
	if err != nil {
		t.Fatal(err)
	}
	older, newer := uuid.New(), uuid.New()
	ctx := tenant.WithTenant(context.Background(), tid)
	owner := authz.WithPrincipal(ctx, authz.Principal{IdentityID: "car-owner", Tenant: tid, Role: authz.RoleCustomer,
		CustomerIDs: []uuid.UUID{older, newer}})

	got, err := uc.GetMyPreferences(owner)
	if err != nil || got.Reminders != messaging.RemindEachDue || len(got.Channels) != 3 {
		t.Fatalf("defaults before any choice: %+v, %v", got, err)
	}
	in := messaging.PreferencesInput{Channels: []string{"email"}, Reminders: "quarterly", QuietFrom: "21:00", QuietTo: "07:30"}
	if got, err = uc.SetMyPreferences(owner, in); err != nil || got.Reminders != messaging.RemindQuarterly {
		t.Fatalf("set: %+v, %v", got, err)
	}
	for _, id := range []uuid.UUID{older, newer} {
		p, ok, _ := prefs.Preferences(ctx, id)
		if !ok || len(p.Channels) != 1 || p.Channels[0] != messaging.ChannelEmail || p.Quiet.From.String() != "21:00" {
			t.Fatalf("record %s: %+v", id, p)
		}
	}
	if got, err = uc.GetMyPreferences(owner); err != nil || got.Quiet.To.String() != "07:30" {
		t.Fatalf("read back: %+v, %v", got, err)
	}
	var ve *errs.ValidationError
	if _, err := uc.SetMyPreferences(owner, messaging.PreferencesInput{Channels: []string{"pombo"}, Reminders: "never"}); !errors.As(err, &ve) {
		t.Fatalf("bad channel: %v", err)
	}

	staff := authz.WithPrincipal(ctx, authz.Principal{IdentityID: "staff", Tenant: tid, Role: authz.RoleOwner})
	if _, err := uc.GetMyPreferences(staff); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("staff on the portal use case: %v", err)
	}
}
