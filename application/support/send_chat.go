package support

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/support"
	"github.com/torquehq/torque/domain/validate"
)

// SendChat stores a message of the chatter. Staff need support.answer and
// an existing conversation of the workshop; a car owner writes only in
// their own (another's, or another workshop's, is errs.ErrNotFound and
// stores nothing). Outside the workshop's opening hours a customer's
// message becomes a ticket and gets an automatic pt-BR reply, once per
// ticket.
func (u *UseCases) SendChat(ctx context.Context, c Chatter, in SendChatInput) (ChatMessage, error) {
	action := authz.AnswerSupport
	if c.customer {
		action = authz.PortalWrite
	}
	if _, err := authz.Require(ctx, action); err != nil {
		return ChatMessage{}, err
	}
	var col errs.Collector
	text := validate.FreeText(&col, "text", in.Text, MaxChatText, true)
	if text == "" && col.Err() == nil {
		col.Add("text", br.CodeRequired, "text is required")
	}
	var convID uuid.UUID
	if in.ConversationID != "" {
		var err error
		if convID, err = uuid.Parse(in.ConversationID); err != nil {
			return ChatMessage{}, errs.ErrNotFound
		}
	}
	if err := col.Err(); err != nil {
		return ChatMessage{}, err
	}
	now := u.base.Now()
	var conv Conversation
	var err error
	switch {
	case convID != uuid.Nil:
		if conv, err = u.chat.Store.Conversation(ctx, convID); err != nil {
			return ChatMessage{}, err
		}
		if c.customer && !c.p.ActsFor(conv.CustomerID) {
			return ChatMessage{}, errs.ErrNotFound
		}
	case c.customer && len(c.p.CustomerIDs) > 0:
		if conv, err = u.chat.Store.EnsureConversation(ctx, u.base.NewID(), c.p.CustomerIDs[0], now); err != nil {
			return ChatMessage{}, err
		}
	default:
		return ChatMessage{}, errs.Invalid("conversation_id", br.CodeRequired, "conversation_id is required")
	}
	author, authorID := support.AuthorStaff, c.p.IdentityID
	if c.customer {
		author, authorID = support.AuthorCustomer, conv.CustomerID.String()
	}
	m, err := u.chat.Store.Append(ctx, ChatMessage{TenantID: c.tenant, ConversationID: conv.ID, CustomerID: conv.CustomerID,
		Author: author, AuthorID: authorID, Text: text, At: now})
	if err != nil {
		return ChatMessage{}, err
	}
	if c.customer {
		if err := u.afterHours(ctx, conv, text, now); err != nil {
			u.base.Logger.WarnContext(ctx, "chat: out-of-hours ticket failed", "conversation", conv.ID, "err", err)
		}
	}
	return m, nil
}
