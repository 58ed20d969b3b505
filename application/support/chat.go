package support

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/support"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/validate"
)

// MaxChatText bounds one chat message (characters).
const MaxChatText = 2000

// ErrChatUnavailable: the chat ports are not wired.
var ErrChatUnavailable = errors.New("support: chat is not configured")

// ChatDeps are the chat's ports, set with EnableChat.
type ChatDeps struct {
	Store ChatStore
	Hub   *ChatHub
}

// EnableChat wires the live chat.
func (u *UseCases) EnableChat(d ChatDeps) error {
	if d.Store == nil || d.Hub == nil {
		return errors.New("support: chat needs Store and Hub")
	}
	u.chat = d
	return nil
}

// Chatter is who is on a socket: staff (every conversation of the
// workshop) or a car owner (their own).
type Chatter struct {
	p        authz.Principal
	tenant   uuid.UUID
	customer bool
}

// IsCustomer reports a car owner.
func (c Chatter) IsCustomer() bool { return c.customer }

func (c Chatter) customers() []uuid.UUID {
	if !c.customer {
		return nil
	}
	return append([]uuid.UUID{}, c.p.CustomerIDs...)
}

// JoinChat authorises the caller of ctx for the chat: staff need
// support.read, car owners portal.read.
func (u *UseCases) JoinChat(ctx context.Context) (Chatter, error) {
	if u.chat.Store == nil {
		return Chatter{}, ErrChatUnavailable
	}
	p, ok := authz.PrincipalFrom(ctx)
	if !ok {
		return Chatter{}, errs.ErrUnauthenticated
	}
	action := authz.ReadSupport
	if p.Role == authz.RoleCustomer {
		action = authz.PortalRead
	}
	if _, err := authz.Require(ctx, action); err != nil {
		return Chatter{}, err
	}
	return Chatter{p: p, tenant: p.Tenant.UUID(), customer: p.Role == authz.RoleCustomer}, nil
}

// Subscribe opens the live feed of the chatter; the caller reads the
// backlog with MessagesAfter after subscribing, so nothing falls between.
func (u *UseCases) Subscribe(c Chatter) *ChatSubscription {
	return u.chat.Hub.subscribe(c.tenant, c.customers())
}

// MessagesAfter returns what the chatter may see with an id above after,
// oldest first (at most limit).
func (u *UseCases) MessagesAfter(ctx context.Context, c Chatter, after int64, limit int) ([]ChatMessage, error) {
	if c.customer && len(c.p.CustomerIDs) == 0 {
		return nil, nil
	}
	return u.chat.Store.Messages(ctx, uuid.Nil, c.customers(), after, limit)
}

// SendChatInput is one frame {"type":"message","conversation_id","text"}.
type SendChatInput struct {
	// ConversationID may be empty for a car owner (their conversation,
	// created on the first message).
	ConversationID string
	Text           string
}

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

// afterHours turns a customer's message outside opening hours into a
// ticket (or adds it to the conversation's active ticket) and, for a new
// ticket, answers automatically.
func (u *UseCases) afterHours(ctx context.Context, conv Conversation, text string, now time.Time) error {
	hours, err := u.hours(ctx)
	if err != nil || hours.IsOpen(now) {
		return err
	}
	if conv.TicketID != uuid.Nil {
		res, err := u.tickets.Update(ctx, conv.TicketID, func(t *support.Ticket) error {
			return t.CustomerWrites(u.base.NewID(), text, now)
		})
		if err == nil {
			u.base.Await(ctx, res)
			return nil
		}
		if !errors.Is(err, errs.ErrIllegalTransition) {
			return err
		}
	}
	t, err := u.open(ctx, support.OpenInput{CustomerID: conv.CustomerID, Subject: catalogue.T(defaultLocale, "support.chat.subject"),
		Body: text, Source: support.SourceChat, OpenedBy: "customer:" + conv.CustomerID.String()}, "")
	if err != nil {
		return err
	}
	if err := u.chat.Store.LinkTicket(ctx, conv.ID, t.ID); err != nil {
		return err
	}
	loc := hours.Loc
	reply := catalogue.T(defaultLocale, "support.auto.after_hours", t.FirstResponseDue.In(loc).Format("02/01/2006 15:04"))
	_, err = u.chat.Store.Append(ctx, ChatMessage{TenantID: tenantOf(ctx), ConversationID: conv.ID, CustomerID: conv.CustomerID,
		Author: support.AuthorSystem, Text: reply, At: now})
	return err
}

const cursorConversations = "cv"

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

const cursorChatMessages = "cm"

// ConversationMessagesInput is GET .../conversations/{id}/messages?after=.
type ConversationMessagesInput struct {
	ConversationID uuid.UUID
	// After is the last message id the caller has (0: from the start).
	After int64
	Page  pagination.Request
}

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

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func tenantOf(ctx context.Context) uuid.UUID {
	t, _ := tenant.FromContext(ctx)
	return t.UUID()
}
