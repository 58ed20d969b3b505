package messagestore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/pagination"
	dmsg "github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/messagestore"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
)

func tenantCtx(t *testing.T) (context.Context, tenant.ID) {
	t.Helper()
	tid, err := tenant.FromUUID(uuid.New())
	if err != nil {
		t.Fatal(err)
	}
	return tenant.WithTenant(context.Background(), tid), tid
}

func newMessage(key string, due time.Time) appmsg.NewMessage {
	return appmsg.NewMessage{ID: uuid.New(), CustomerID: uuid.New(), Kind: dmsg.KindOrderStatus, DedupeKey: key,
		Vars: map[string]string{"status": "completed"}, DueAt: due, CreatedAt: due}
}

func TestOutbox_EnqueueIsIdempotentAndTenantScopedIntegration(t *testing.T) {
	db := pgtest.New(t)
	o := messagestore.NewOutbox(db.App, nil)
	ctx, _ := tenantCtx(t)
	now := time.Now().UTC().Truncate(time.Microsecond)
	first, err := o.Enqueue(ctx, []appmsg.NewMessage{newMessage("event-1:order_status", now)})
	if err != nil {
		t.Fatal(err)
	}
	again, err := o.Enqueue(ctx, []appmsg.NewMessage{newMessage("event-1:order_status", now)})
	if err != nil || again[0] != first[0] {
		t.Fatalf("second enqueue gave %v (%v), want the first id %v", again, err, first)
	}
	page, err := o.List(ctx, appmsg.Filter{}, pagination.Request{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("list: %d items, %v", len(page.Items), err)
	}
	other, _ := tenantCtx(t)
	page, err = o.List(other, appmsg.Filter{}, pagination.Request{})
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("another workshop sees %d messages (%v)", len(page.Items), err)
	}
	if _, err := o.Message(other, first[0]); err == nil {
		t.Fatal("another workshop reads the message")
	}
	// Only one dispatch row: claimed once.
	claims, err := o.Claim(context.Background(), "w", now.Add(time.Second), time.Minute, 10)
	if err != nil || len(claims) != 1 {
		t.Fatalf("claims %v, %v", claims, err)
	}
}

func TestOutbox_ConcurrentWorkersNeverShareAMessageIntegration(t *testing.T) {
	db := pgtest.New(t)
	o := messagestore.NewOutbox(db.App, nil)
	ctx, _ := tenantCtx(t)
	now := time.Now().UTC().Truncate(time.Microsecond)
	var msgs []appmsg.NewMessage
	for i := 0; i < 60; i++ {
		msgs = append(msgs, newMessage(uuid.NewString(), now))
	}
	if _, err := o.Enqueue(ctx, msgs); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[uuid.UUID]string{}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			for {
				cs, err := o.Claim(context.Background(), name, now.Add(time.Second), time.Minute, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(cs) == 0 {
					return
				}
				mu.Lock()
				for _, c := range cs {
					if prev, dup := seen[c.MessageID]; dup {
						t.Errorf("message %s claimed by %s and %s", c.MessageID, prev, name)
					}
					seen[c.MessageID] = name
				}
				mu.Unlock()
			}
		}(string(rune('A' + w)))
	}
	wg.Wait()
	if len(seen) != 60 {
		t.Fatalf("%d messages claimed, want 60", len(seen))
	}
}

func TestOutbox_OnlyTheLeaseHolderRecordsIntegration(t *testing.T) {
	db := pgtest.New(t)
	o := messagestore.NewOutbox(db.App, nil)
	ctx, tid := tenantCtx(t)
	now := time.Now().UTC().Truncate(time.Microsecond)
	ids, err := o.Enqueue(ctx, []appmsg.NewMessage{newMessage("k", now)})
	if err != nil {
		t.Fatal(err)
	}
	if cs, _ := o.Claim(context.Background(), "A", now, time.Minute, 1); len(cs) != 1 || cs[0].Tenant != tid {
		t.Fatalf("A claimed %v", cs)
	}
	// A's lease expires; B takes the message and sends it.
	if cs, _ := o.Claim(context.Background(), "B", now.Add(2*time.Minute), time.Minute, 1); len(cs) != 1 {
		t.Fatalf("B claimed %v", cs)
	}
	sent := appmsg.Outcome{Status: dmsg.StatusSent, Channel: dmsg.ChannelEmail, Provider: "smtp", ProviderID: "x@y", Attempted: true, At: now}
	if held, err := o.Record(ctx, "A", ids[0], sent); err != nil || held {
		t.Fatalf("A recorded after losing its lease: %v %v", held, err)
	}
	if held, err := o.Record(ctx, "B", ids[0], sent); err != nil || !held {
		t.Fatalf("B could not record: %v %v", held, err)
	}
	m, err := o.Message(ctx, ids[0])
	if err != nil || m.Status != "sent" || m.Attempts != 1 {
		t.Fatalf("message %+v, %v", m, err)
	}
	// Provider statuses out of order: read, then delivered; read stands.
	for _, st := range []dmsg.Status{dmsg.StatusRead, dmsg.StatusDelivered, dmsg.StatusSent} {
		if _, err := o.ProviderStatus(context.Background(), "smtp", "x@y", tenant.ID{}, uuid.Nil, st, now.Add(time.Minute), ""); err != nil {
			t.Fatal(err)
		}
	}
	if m, _ := o.Message(ctx, ids[0]); m.Status != "read" || m.ReadAt == nil || m.DeliveredAt == nil {
		t.Fatalf("after statuses: %+v", m)
	}
	if cs, _ := o.Claim(context.Background(), "C", now.Add(time.Hour), time.Minute, 10); len(cs) != 0 {
		t.Fatalf("a sent message was claimed again: %v", cs)
	}
}
