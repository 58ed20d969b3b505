package support

import (
	"context"
	"slices"
	"sync"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/usecase"
)

// subscriptionBuffer is how many messages a slow socket may lag behind
// before it is told to catch up from the store instead.
const subscriptionBuffer = 256

// ChatHub fans the chat messages every process stores out to the sockets
// of this process. The store announces each message (Postgres NOTIFY);
// the listener calls Notify, and the hub loads the message once and hands
// it to every subscription that may see it. Nothing is delivered that is
// not stored first.
type ChatHub struct {
	store ChatStore
	mu    sync.Mutex
	subs  map[uuid.UUID]map[*ChatSubscription]struct{}
}

// NewChatHub returns a hub reading messages from store.
func NewChatHub(store ChatStore) *ChatHub {
	return &ChatHub{store: store, subs: map[uuid.UUID]map[*ChatSubscription]struct{}{}}
}

// ChatSubscription is one socket's live feed.
type ChatSubscription struct {
	hub       *ChatHub
	tenant    uuid.UUID
	customers []uuid.UUID // nil: staff (every conversation)
	c         chan ChatMessage
	catchUp   chan struct{}
	once      sync.Once
}

// C delivers the messages this subscription may see, in id order per
// workshop (a lagging subscription gets a CatchUp signal instead).
func (s *ChatSubscription) C() <-chan ChatMessage { return s.c }

// CatchUp signals that messages may have been missed (the listener
// reconnected or the buffer overflowed): read the store after the last id.
func (s *ChatSubscription) CatchUp() <-chan struct{} { return s.catchUp }

// Close ends the subscription.
func (s *ChatSubscription) Close() {
	s.once.Do(func() {
		s.hub.mu.Lock()
		delete(s.hub.subs[s.tenant], s)
		if len(s.hub.subs[s.tenant]) == 0 {
			delete(s.hub.subs, s.tenant)
		}
		s.hub.mu.Unlock()
	})
}

func (s *ChatSubscription) sees(m ChatMessage) bool {
	return s.customers == nil || slices.Contains(s.customers, m.CustomerID)
}

func (s *ChatSubscription) signal() {
	select {
	case s.catchUp <- struct{}{}:
	default:
	}
}

func (h *ChatHub) subscribe(tenant uuid.UUID, customers []uuid.UUID) *ChatSubscription {
	s := &ChatSubscription{hub: h, tenant: tenant, customers: customers,
		c: make(chan ChatMessage, subscriptionBuffer), catchUp: make(chan struct{}, 1)}
	h.mu.Lock()
	if h.subs[tenant] == nil {
		h.subs[tenant] = map[*ChatSubscription]struct{}{}
	}
	h.subs[tenant][s] = struct{}{}
	h.mu.Unlock()
	return s
}

// Notify delivers the stored message id of workshop tenant to the local
// subscriptions (called by the fan-out listener).
func (h *ChatHub) Notify(ctx context.Context, tenant uuid.UUID, id int64) error {
	h.mu.Lock()
	n := len(h.subs[tenant])
	h.mu.Unlock()
	if n == 0 {
		return nil
	}
	m, err := h.store.Message(usecase.InOwnTenant(ctx, tenant), id)
	if err != nil {
		h.Resync(tenant)
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[tenant] {
		if !s.sees(m) {
			continue
		}
		select {
		case s.c <- m:
		default:
			s.signal()
		}
	}
	return nil
}

// Resync tells the subscriptions of tenant (uuid.Nil: all) to catch up
// from the store, e.g. after the listener reconnected.
func (h *ChatHub) Resync(tenant uuid.UUID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for t, subs := range h.subs {
		if tenant != uuid.Nil && t != tenant {
			continue
		}
		for s := range subs {
			s.signal()
		}
	}
}

// Subscribers counts the live subscriptions (for metrics and tests).
func (h *ChatHub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, s := range h.subs {
		n += len(s)
	}
	return n
}
