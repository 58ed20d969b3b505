package support

import (
	"context"

	"github.com/google/uuid"
)

// MessagesAfter returns what the chatter may see with an id above after,
// oldest first (at most limit).
func (u *UseCases) MessagesAfter(ctx context.Context, c Chatter, after int64, limit int) ([]ChatMessage, error) {
	if c.customer && len(c.p.CustomerIDs) == 0 {
		return nil, nil
	}
	return u.chat.Store.Messages(ctx, uuid.Nil, c.customers(), after, limit)
}
