package readmodel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/support"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var _ support.ChatStore = (*PostgresChatStore)(nil)

// ChatChannel is the Postgres NOTIFY channel announcing stored chat
// messages ("<tenant id>/<message id>") to every API process.
const ChatChannel = "torque_support_chat"

// PostgresChatStore keeps the live chat in support_conversations and
// support_chat_messages; texts are sealed under the customer's key.
type PostgresChatStore struct{ tenantReads }

// NewChatStore returns the adapter; pool connects as the runtime role.
func NewChatStore(pool *pgxpool.Pool, cipher privacy.Cipher) *PostgresChatStore {
	return &PostgresChatStore{tenantReads{pool: pool, cipher: cipher}}
}

func chatTextField(id uuid.UUID) string { return "support_chat_messages.body:" + id.String() }

// conversationSelect reads conversations with their unread counts (the
// inbox); conversationOnly skips the count (the send path).
const (
	conversationSelect = `SELECT c.conversation_id, c.customer_id, c.ticket_id, c.created_at, c.last_message_at, c.last_message_id,
	(SELECT count(*) FROM support_chat_messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.conversation_id
	   AND m.author = 'customer' AND m.id > c.staff_read_id)::int
	FROM support_conversations c`
	conversationOnly = `SELECT c.conversation_id, c.customer_id, c.ticket_id, c.created_at, c.last_message_at, c.last_message_id, 0
	FROM support_conversations c`
)

func scanConversation(row pgx.CollectableRow) (support.Conversation, error) {
	var c support.Conversation
	var ticket *uuid.UUID
	err := row.Scan(&c.ID, &c.CustomerID, &ticket, &c.CreatedAt, &c.LastMessageAt, &c.LastMessageID, &c.Unread)
	if ticket != nil {
		c.TicketID = *ticket
	}
	return c, err
}

// EnsureConversation implements support.ChatStore.
func (s *PostgresChatStore) EnsureConversation(ctx context.Context, id, customerID uuid.UUID, now time.Time) (support.Conversation, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return support.Conversation{}, err
	}
	var out []support.Conversation
	err = postgres.InTenantTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO support_conversations (tenant_id, conversation_id, customer_id, created_at, last_message_at)
			VALUES ($1, $2, $3, $4, $4) ON CONFLICT (tenant_id, customer_id) DO NOTHING`, tid.UUID(), id, customerID, now); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, conversationOnly+` WHERE c.tenant_id = $1 AND c.customer_id = $2`, tid.UUID(), customerID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanConversation)
		return err
	})
	if err != nil {
		return support.Conversation{}, err
	}
	if len(out) == 0 {
		return support.Conversation{}, errors.New("chat: conversation vanished")
	}
	return out[0], nil
}

// Conversation implements support.ChatStore.
func (s *PostgresChatStore) Conversation(ctx context.Context, id uuid.UUID) (support.Conversation, error) {
	out, err := collectTenant(ctx, s.tenantReads, scanConversation, conversationOnly+` WHERE c.tenant_id = $1 AND c.conversation_id = $2`, id)
	if err != nil {
		return support.Conversation{}, err
	}
	if len(out) == 0 {
		return support.Conversation{}, fmt.Errorf("conversation %s: %w", id, errs.ErrNotFound)
	}
	return out[0], nil
}

// Conversations implements support.ChatStore.
func (s *PostgresChatStore) Conversations(ctx context.Context, customers []uuid.UUID, before int64, limit int) ([]support.Conversation, error) {
	var bound any
	if before > 0 {
		bound = before
	}
	return collectTenant(ctx, s.tenantReads, scanConversation, conversationSelect+` WHERE c.tenant_id = $1
		AND ($2::uuid[] IS NULL OR c.customer_id = ANY($2)) AND ($3::bigint IS NULL OR c.last_message_id < $3)
		ORDER BY c.last_message_id DESC LIMIT $4`, customers, bound, limit)
}

// Append implements support.ChatStore. Appends of one workshop are
// serialised (a transaction advisory lock), so message ids grow in commit
// order within the workshop and a reader resuming after an id misses
// nothing. The NOTIFY is sent on commit.
func (s *PostgresChatStore) Append(ctx context.Context, m support.ChatMessage) (support.ChatMessage, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return m, err
	}
	m.TenantID = tid.UUID()
	// The ciphertext is bound to a random id of the message, so it is
	// sealed before the numbered insert and everything after BEGIN goes to
	// the server in one round trip.
	ref := uuid.New()
	ct, err := s.cipher.Encrypt(ctx, m.CustomerID, chatTextField(ref), []byte(m.Text))
	if err != nil {
		return m, err
	}
	err = postgres.InTenantTx(ctx, s.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(`SELECT pg_advisory_xact_lock(hashtextextended('support_chat:' || $1::text, 0))`, tid.UUID())
		b.Queue(`INSERT INTO support_chat_messages (message_uuid, tenant_id, conversation_id, author, author_id, body_enc, created_at)
			SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (
			  SELECT 1 FROM support_conversations WHERE tenant_id = $2 AND conversation_id = $3)
			RETURNING id`, ref, tid.UUID(), m.ConversationID, m.Author, m.AuthorID, ct, m.At).
			QueryRow(func(row pgx.Row) error { return row.Scan(&m.ID) })
		b.Queue(`UPDATE support_conversations SET last_message_at = $3, last_message_id = currval('support_chat_messages_id_seq')
			WHERE tenant_id = $1 AND conversation_id = $2`, tid.UUID(), m.ConversationID, m.At)
		b.Queue(`SELECT pg_notify($1, $2::text || '/' || currval('support_chat_messages_id_seq')::text)`, ChatChannel, tid.String())
		return tx.SendBatch(ctx, b).Close()
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return m, fmt.Errorf("conversation %s: %w", m.ConversationID, errs.ErrNotFound)
	}
	return m, err
}

type chatRow struct {
	m    support.ChatMessage
	ref  uuid.UUID
	body *string
}

const chatMessageSelect = `SELECT m.id, m.message_uuid, m.conversation_id, c.customer_id, m.author, m.author_id, m.body_enc, m.created_at
	FROM support_chat_messages m JOIN support_conversations c ON c.tenant_id = m.tenant_id AND c.conversation_id = m.conversation_id`

func scanChat(row pgx.CollectableRow) (chatRow, error) {
	var r chatRow
	err := row.Scan(&r.m.ID, &r.ref, &r.m.ConversationID, &r.m.CustomerID, &r.m.Author, &r.m.AuthorID, &r.body, &r.m.At)
	return r, err
}

func (s *PostgresChatStore) open(ctx context.Context, rows []chatRow) ([]support.ChatMessage, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]support.ChatMessage, 0, len(rows))
	for _, r := range rows {
		if r.m.Text, err = s.tenantReads.open(ctx, r.m.CustomerID, chatTextField(r.ref), r.body); err != nil {
			return nil, err
		}
		r.m.TenantID = tid.UUID()
		out = append(out, r.m)
	}
	return out, nil
}

// Message implements support.ChatStore.
func (s *PostgresChatStore) Message(ctx context.Context, id int64) (support.ChatMessage, error) {
	rows, err := collectTenant(ctx, s.tenantReads, scanChat, chatMessageSelect+` WHERE m.tenant_id = $1 AND m.id = $2`, id)
	if err != nil {
		return support.ChatMessage{}, err
	}
	out, err := s.open(ctx, rows)
	if err != nil {
		return support.ChatMessage{}, err
	}
	if len(out) == 0 {
		return support.ChatMessage{}, fmt.Errorf("chat message %d: %w", id, errs.ErrNotFound)
	}
	return out[0], nil
}

// Messages implements support.ChatStore.
func (s *PostgresChatStore) Messages(ctx context.Context, conversation uuid.UUID, customers []uuid.UUID, after int64, limit int) ([]support.ChatMessage, error) {
	var conv any
	if conversation != uuid.Nil {
		conv = conversation
	}
	rows, err := collectTenant(ctx, s.tenantReads, scanChat, chatMessageSelect+` WHERE m.tenant_id = $1
		AND ($2::uuid IS NULL OR m.conversation_id = $2) AND ($3::uuid[] IS NULL OR c.customer_id = ANY($3))
		AND m.id > $4 ORDER BY m.id LIMIT $5`, conv, customers, after, limit)
	if err != nil {
		return nil, err
	}
	return s.open(ctx, rows)
}

// MarkRead implements support.ChatStore.
func (s *PostgresChatStore) MarkRead(ctx context.Context, conversation uuid.UUID, upTo int64) error {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	return postgres.InTenantTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE support_conversations SET staff_read_id = GREATEST(staff_read_id, $3)
			WHERE tenant_id = $1 AND conversation_id = $2`, tid.UUID(), conversation, upTo)
		return err
	})
}

// LinkTicket implements support.ChatStore.
func (s *PostgresChatStore) LinkTicket(ctx context.Context, conversation, ticket uuid.UUID) error {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	return postgres.InTenantTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE support_conversations SET ticket_id = $3 WHERE tenant_id = $1 AND conversation_id = $2`,
			tid.UUID(), conversation, ticket)
		return err
	})
}

// ChatListener hears ChatChannel on a connection of its own and hands
// every announced message to the hub; after a (re)connection it tells the
// hub's subscriptions to catch up from the store, since notifications sent
// while it was away are lost.
type ChatListener struct {
	Pool *pgxpool.Pool
	Hub  *support.ChatHub
	Log  *slog.Logger
	// Probe is how often an idle connection is checked (default 15 s).
	Probe time.Duration
}

// Run listens until ctx ends, reconnecting after a second on failure.
func (l *ChatListener) Run(ctx context.Context) {
	postgres.Listener{
		Pool: l.Pool, Channel: ChatChannel, Name: "torque support chat listener", Probe: l.Probe, Log: l.Log,
		Listening: func() { l.Hub.Resync(uuid.Nil) },
		Notified: func(payload string) {
			ts, ids, ok := strings.Cut(payload, "/")
			tu, err1 := uuid.Parse(ts)
			id, err2 := strconv.ParseInt(ids, 10, 64)
			if !ok || err1 != nil || err2 != nil {
				return
			}
			if err := l.Hub.Notify(ctx, tu, id); err != nil && ctx.Err() == nil {
				l.logger().Warn("support chat: delivering a message failed; subscribers catch up", "err", err)
			}
		},
	}.Run(ctx)
}

func (l *ChatListener) logger() *slog.Logger {
	if l.Log != nil {
		return l.Log
	}
	return slog.Default()
}
