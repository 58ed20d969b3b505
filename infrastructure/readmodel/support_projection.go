package readmodel

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/support"
	"github.com/torquehq/torque/domain/errs"
	dsupport "github.com/torquehq/torque/domain/support"
	"github.com/torquehq/torque/infrastructure/projection"
)

var _ projection.Projection = SupportProjection{}

// SupportProjection maintains support_tickets and support_ticket_messages
// from the support_ticket streams. Subjects and bodies are sealed again
// with the customer's key (like registry_notes); after an erasure they are
// stored NULL.
type SupportProjection struct {
	Cipher privacy.Cipher
}

// Name implements projection.Projection.
func (SupportProjection) Name() string { return "support" }

// Handles implements projection.Projection.
func (SupportProjection) Handles() []string { return dsupport.Events.Names() }

// Reset implements projection.Projection.
func (SupportProjection) Reset(b *pgx.Batch) {
	b.Queue(`DELETE FROM support_ticket_messages`)
	b.Queue(`DELETE FROM support_tickets`)
}

func ticketSubjectField(id uuid.UUID) string { return "support_tickets.subject:" + id.String() }
func ticketBodyField(ticketID uuid.UUID, version int64) string {
	return fmt.Sprintf("support_ticket_messages.body:%s:%d", ticketID, version)
}

// Apply implements projection.Projection.
func (p SupportProjection) Apply(b *pgx.Batch, e eventsourcing.Recorded) error {
	s := newSealer(p.Cipher, e.Tenant)
	tid, id := e.Tenant.UUID(), e.Stream.ID
	touch := func(at time.Time) {
		b.Queue(`UPDATE support_tickets SET updated_at = $3, version = $4 WHERE tenant_id = $1 AND ticket_id = $2 AND version < $4`,
			tid, id, at, e.Version)
	}
	switch ev := e.Event.(type) {
	case dsupport.TicketOpened:
		subj, err := s.seal(ev.CustomerID, ticketSubjectField(id), ev.Subject)
		if err != nil {
			return err
		}
		body, err := s.seal(ev.CustomerID, ticketBodyField(id, e.Version), ev.Body)
		if err != nil {
			return err
		}
		var order any
		if ev.OrderID != uuid.Nil {
			order = ev.OrderID
		}
		b.Queue(`INSERT INTO support_tickets (tenant_id, ticket_id, customer_id, order_id, subject_enc, source, status,
			opened_at, first_response_due, last_message_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $7, $7, $9) ON CONFLICT DO NOTHING`,
			tid, id, ev.CustomerID, order, subj, ev.Source, ev.OpenedAt, ev.FirstResponseDue, e.Version)
		b.Queue(`INSERT INTO support_ticket_messages (tenant_id, ticket_id, version, message_id, author, author_id, body_enc, posted_at)
			VALUES ($1, $2, $3, $4, 'customer', $5, $6, $7) ON CONFLICT DO NOTHING`,
			tid, id, e.Version, e.EventID, ev.CustomerID.String(), body, ev.OpenedAt)
	case dsupport.TicketMessagePosted:
		body, err := s.seal(ev.CustomerID, ticketBodyField(id, e.Version), ev.Body)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO support_ticket_messages (tenant_id, ticket_id, version, message_id, author, author_id, body_enc, posted_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
			tid, id, e.Version, ev.MessageID, ev.Author, ev.AuthorID, body, ev.PostedAt)
		b.Queue(`UPDATE support_tickets SET last_message_at = $3 WHERE tenant_id = $1 AND ticket_id = $2 AND version < $4`,
			tid, id, ev.PostedAt, e.Version)
		if ev.Author == dsupport.AuthorStaff {
			b.Queue(`UPDATE support_tickets SET first_response_at = $3 WHERE tenant_id = $1 AND ticket_id = $2
				AND first_response_at IS NULL AND version < $4`, tid, id, ev.PostedAt, e.Version)
		}
		touch(ev.PostedAt)
	case dsupport.TicketStatusChanged:
		b.Queue(`UPDATE support_tickets SET status = $3 WHERE tenant_id = $1 AND ticket_id = $2 AND version < $4`,
			tid, id, ev.To, e.Version)
		touch(ev.ChangedAt)
	case dsupport.TicketAssigned:
		b.Queue(`UPDATE support_tickets SET assignee_id = $3 WHERE tenant_id = $1 AND ticket_id = $2 AND version < $4`,
			tid, id, ev.StaffID, e.Version)
		touch(ev.AssignedAt)
	}
	return nil
}

var _ support.TicketReadModel = (*PostgresTicketReadModel)(nil)

// PostgresTicketReadModel reads support_tickets and their messages,
// decrypting subjects and bodies.
type PostgresTicketReadModel struct{ tenantReads }

// NewTicketReadModel returns the adapter.
func NewTicketReadModel(pool *pgxpool.Pool, cipher privacy.Cipher) *PostgresTicketReadModel {
	return &PostgresTicketReadModel{tenantReads{pool: pool, cipher: cipher}}
}

type ticketRow struct {
	t       support.Ticket
	subject *string
	order   *uuid.UUID
	first   *time.Time
}

const ticketSelect = `SELECT ticket_id, customer_id, order_id, subject_enc, source, status, assignee_id, opened_at,
	first_response_due, first_response_at, last_message_at, updated_at, version FROM support_tickets`

func scanTicket(row pgx.CollectableRow) (ticketRow, error) {
	var r ticketRow
	err := row.Scan(&r.t.ID, &r.t.CustomerID, &r.order, &r.subject, &r.t.Source, &r.t.Status, &r.t.AssigneeID, &r.t.OpenedAt,
		&r.t.FirstResponseDue, &r.first, &r.t.LastMessageAt, &r.t.UpdatedAt, &r.t.Version)
	return r, err
}

func (r *PostgresTicketReadModel) view(ctx context.Context, row ticketRow) (support.Ticket, error) {
	t := row.t
	if row.order != nil {
		t.OrderID = *row.order
	}
	if row.first != nil {
		t.FirstResponseAt = *row.first
	}
	var err error
	t.Subject, err = r.open(ctx, t.CustomerID, ticketSubjectField(t.ID), row.subject)
	return t, err
}

// Ticket implements support.TicketReadModel.
func (r *PostgresTicketReadModel) Ticket(ctx context.Context, id uuid.UUID) (support.Ticket, error) {
	rows, err := collectTenant(ctx, r.tenantReads, scanTicket, ticketSelect+` WHERE tenant_id = $1 AND ticket_id = $2`, id)
	if err != nil {
		return support.Ticket{}, err
	}
	if len(rows) == 0 {
		return support.Ticket{}, fmt.Errorf("ticket %s: %w", id, errs.ErrNotFound)
	}
	t, err := r.view(ctx, rows[0])
	if err != nil {
		return support.Ticket{}, err
	}
	type msgRow struct {
		m       support.TicketMessage
		version int64
		body    *string
	}
	msgs, err := collectTenant(ctx, r.tenantReads, func(row pgx.CollectableRow) (msgRow, error) {
		var m msgRow
		err := row.Scan(&m.version, &m.m.ID, &m.m.Author, &m.m.AuthorID, &m.body, &m.m.At)
		return m, err
	}, `SELECT version, message_id, author, author_id, body_enc, posted_at FROM support_ticket_messages
		WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY version`, id)
	if err != nil {
		return support.Ticket{}, err
	}
	t.Messages = make([]support.TicketMessage, 0, len(msgs))
	for _, m := range msgs {
		if m.m.Body, err = r.open(ctx, t.CustomerID, ticketBodyField(id, m.version), m.body); err != nil {
			return support.Ticket{}, err
		}
		t.Messages = append(t.Messages, m.m)
	}
	return t, nil
}

// Tickets implements support.TicketReadModel.
func (r *PostgresTicketReadModel) Tickets(ctx context.Context, f support.TicketFilter, before uuid.UUID, limit int) ([]support.Ticket, error) {
	var beforeArg, lateArg any
	if before != uuid.Nil {
		beforeArg = before
	}
	if !f.LateAt.IsZero() {
		lateArg = f.LateAt
	}
	var customers []uuid.UUID
	if len(f.CustomerID) > 0 {
		customers = f.CustomerID
	}
	rows, err := collectTenant(ctx, r.tenantReads, scanTicket, ticketSelect+` WHERE tenant_id = $1
		AND ($2 = '' OR status = $2)
		AND ($3::uuid[] IS NULL OR customer_id = ANY($3))
		AND ($4::timestamptz IS NULL OR (first_response_at IS NULL AND first_response_due < $4 AND status NOT IN ('resolved', 'closed')))
		AND ($5::uuid IS NULL OR ticket_id < $5)
		ORDER BY ticket_id DESC LIMIT $6`, f.Status, customers, lateArg, beforeArg, limit)
	if err != nil {
		return nil, err
	}
	out := make([]support.Ticket, 0, len(rows))
	for _, row := range rows {
		t, err := r.view(ctx, row)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
