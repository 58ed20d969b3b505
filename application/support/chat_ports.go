package support

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Conversation is a customer's live-chat thread with the workshop.
type Conversation struct {
	ID            uuid.UUID
	CustomerID    uuid.UUID
	TicketID      uuid.UUID
	CreatedAt     time.Time
	LastMessageAt time.Time
	LastMessageID int64
	// Unread counts the customer's messages staff have not read (filled
	// by Conversations only).
	Unread int
}

// ChatMessage is one stored chat message. IDs grow in commit order within
// a workshop, so a socket resumes after the last id it saw.
type ChatMessage struct {
	ID             int64
	TenantID       uuid.UUID
	ConversationID uuid.UUID
	CustomerID     uuid.UUID
	Author         string
	AuthorID       string
	Text           string
	At             time.Time
}

// ChatStore keeps conversations and messages of the tenant in ctx.
type ChatStore interface {
	// EnsureConversation returns the customer's conversation, creating it.
	EnsureConversation(ctx context.Context, id, customerID uuid.UUID, now time.Time) (Conversation, error)
	// Conversation returns one; errs.ErrNotFound when unknown here.
	Conversation(ctx context.Context, id uuid.UUID) (Conversation, error)
	// Conversations lists conversations by latest message, before the
	// message id before (0: no bound), at most limit; customers filters
	// (nil: all).
	Conversations(ctx context.Context, customers []uuid.UUID, before int64, limit int) ([]Conversation, error)
	// Append stores a message (Text sealed under the customer's key) and
	// announces it to every process (the fan-out), in one transaction.
	Append(ctx context.Context, m ChatMessage) (ChatMessage, error)
	// Message returns one message; errs.ErrNotFound when unknown here.
	Message(ctx context.Context, id int64) (ChatMessage, error)
	// Messages returns at most limit messages with an id above after,
	// oldest first, of one conversation (uuid.Nil: every conversation of
	// customers; both nil: the whole workshop).
	Messages(ctx context.Context, conversation uuid.UUID, customers []uuid.UUID, after int64, limit int) ([]ChatMessage, error)
	// MarkRead records that staff read the conversation up to message id.
	MarkRead(ctx context.Context, conversation uuid.UUID, upTo int64) error
	// LinkTicket records the ticket the conversation became.
	LinkTicket(ctx context.Context, conversation, ticket uuid.UUID) error
}
