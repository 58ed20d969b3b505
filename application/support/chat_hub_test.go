package support_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/support"
	"github.com/torquehq/torque/domain/errs"
)

// memChat is a ChatStore holding messages in memory.
type memChat struct {
	support.ChatStore
	msgs map[int64]support.ChatMessage
}

func (m *memChat) Message(_ context.Context, id int64) (support.ChatMessage, error) {
	if msg, ok := m.msgs[id]; ok {
		return msg, nil
	}
	return support.ChatMessage{}, errs.ErrNotFound
}

func TestChatHub_DeliversToWhoMaySeeAndSignalsCatchUp(t *testing.T) {
	ws, other := uuid.New(), uuid.New()
	ana, bruno := uuid.New(), uuid.New()
	store := &memChat{msgs: map[int64]support.ChatMessage{
		1: {ID: 1, TenantID: ws, CustomerID: ana, Text: "oi"},
		2: {ID: 2, TenantID: ws, CustomerID: bruno, Text: "olá"},
	}}
	hub := support.NewChatHub(store)
	staff := support.SubscribeForTest(hub, ws, nil)
	anaTab := support.SubscribeForTest(hub, ws, []uuid.UUID{ana})
	elsewhere := support.SubscribeForTest(hub, other, nil)
	defer staff.Close()
	defer anaTab.Close()
	defer elsewhere.Close()
	ctx := context.Background()
	for _, id := range []int64{1, 2} {
		if err := hub.Notify(ctx, ws, id); err != nil {
			t.Fatal(err)
		}
	}
	got := func(s *support.ChatSubscription) []int64 {
		var ids []int64
		for {
			select {
			case m := <-s.C():
				ids = append(ids, m.ID)
			case <-time.After(50 * time.Millisecond):
				return ids
			}
		}
	}
	if ids := got(staff); len(ids) != 2 {
		t.Fatalf("staff got %v, want both", ids)
	}
	if ids := got(anaTab); len(ids) != 1 || ids[0] != 1 {
		t.Fatalf("Ana's tab got %v, want only her message", ids)
	}
	if ids := got(elsewhere); len(ids) != 0 {
		t.Fatalf("another workshop got %v", ids)
	}
	// A message the store cannot find makes the subscriptions catch up.
	if err := hub.Notify(ctx, ws, 99); err == nil {
		t.Fatal("unknown message delivered")
	}
	select {
	case <-staff.CatchUp():
	default:
		t.Fatal("no catch-up signal after a failed delivery")
	}
	if hub.Subscribers() != 3 {
		t.Fatalf("subscribers %d", hub.Subscribers())
	}
}
