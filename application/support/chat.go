package support

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/support"
	"github.com/torquehq/torque/domain/tenant"
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

// SendChatInput is one frame {"type":"message","conversation_id","text"}.
type SendChatInput struct {
	// ConversationID may be empty for a car owner (their conversation,
	// created on the first message).
	ConversationID string
	Text           string
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

const cursorChatMessages = "cm"

// ConversationMessagesInput is GET .../conversations/{id}/messages?after=.
type ConversationMessagesInput struct {
	ConversationID uuid.UUID
	// After is the last message id the caller has (0: from the start).
	After int64
	Page  pagination.Request
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func tenantOf(ctx context.Context) uuid.UUID {
	t, _ := tenant.FromContext(ctx)
	return t.UUID()
}
