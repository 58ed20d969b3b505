package support

import "github.com/google/uuid"

// SubscribeForTest subscribes without a Chatter.
func SubscribeForTest(h *ChatHub, tenant uuid.UUID, customers []uuid.UUID) *ChatSubscription {
	return h.subscribe(tenant, customers)
}
