package support

import (
	"context"

	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/domain/errs"
)

// ConversationMessages returns a conversation's history, oldest first.
// Staff reading it marks it read. Another customer's conversation is
// errs.ErrNotFound.
func (u *UseCases) ConversationMessages(ctx context.Context, in ConversationMessagesInput) (pagination.Page[ChatMessage], error) {
	c, err := u.JoinChat(ctx)
	if err != nil {
		return pagination.Page[ChatMessage]{}, err
	}
	conv, err := u.chat.Store.Conversation(ctx, in.ConversationID)
	if err != nil {
		return pagination.Page[ChatMessage]{}, err
	}
	if c.customer && !c.p.ActsFor(conv.CustomerID) {
		return pagination.Page[ChatMessage]{}, errs.ErrNotFound
	}
	limit, err := in.Page.Size()
	if err != nil {
		return pagination.Page[ChatMessage]{}, err
	}
	after := in.After
	if in.Page.Cursor != "" {
		if after, err = pagination.NumberCursor(cursorChatMessages, in.Page.Cursor); err != nil {
			return pagination.Page[ChatMessage]{}, err
		}
	}
	items, err := u.chat.Store.Messages(ctx, conv.ID, nil, after, limit+1)
	if err != nil {
		return pagination.Page[ChatMessage]{}, err
	}
	page := pagination.Cut(items, limit, cursorChatMessages, func(m ChatMessage) string { return itoa(m.ID) })
	if !c.customer && len(page.Items) > 0 {
		if err := u.chat.Store.MarkRead(ctx, conv.ID, page.Items[len(page.Items)-1].ID); err != nil {
			return pagination.Page[ChatMessage]{}, err
		}
	}
	return page, nil
}
