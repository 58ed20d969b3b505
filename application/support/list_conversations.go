package support

import (
	"context"

	"github.com/torquehq/torque/application/pagination"
)

// ListConversations lists the caller's conversations by latest message:
// every one for staff (support.read) with unread counts, their own for a
// car owner (portal.read).
func (u *UseCases) ListConversations(ctx context.Context, page pagination.Request) (pagination.Page[Conversation], error) {
	c, err := u.JoinChat(ctx)
	if err != nil {
		return pagination.Page[Conversation]{}, err
	}
	limit, err := page.Size()
	if err != nil {
		return pagination.Page[Conversation]{}, err
	}
	before, err := pagination.NumberCursor(cursorConversations, page.Cursor)
	if err != nil {
		return pagination.Page[Conversation]{}, err
	}
	if c.customer && len(c.p.CustomerIDs) == 0 {
		return pagination.Page[Conversation]{Items: []Conversation{}}, nil
	}
	items, err := u.chat.Store.Conversations(ctx, c.customers(), before, limit+1)
	if err != nil {
		return pagination.Page[Conversation]{}, err
	}
	return pagination.Cut(items, limit, cursorConversations, func(cv Conversation) string { return itoa(cv.LastMessageID) }), nil
}
