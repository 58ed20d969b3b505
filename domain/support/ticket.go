// Package support holds the support ticket aggregate (chamado) a car owner
// or the workshop opens, its life cycle and messages, the first-response
// due time computed from the workshop's opening hours, and the validation
// of help-centre articles (FAQ and tutorials).
package support

import (
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/validate"
)

// StreamType names ticket streams in the event store.
const StreamType = "support_ticket"

// API field names and limits.
const (
	FieldSubject  = "subject"
	FieldBody     = "body"
	FieldOrderID  = "order_id"
	FieldStaffID  = "staff_id"
	maxSubject    = 200
	MaxBodyRunes  = 5000
	maxStaffIDLen = 100
)

// Sources of a ticket.
const (
	SourcePortal   = "portal"
	SourceStaff    = "staff"
	SourceChat     = "chat"
	SourceFeedback = "feedback"
)

// Authors of a message.
const (
	AuthorCustomer = "customer"
	AuthorStaff    = "staff"
	AuthorSystem   = "system"
)

// Message is one message of a ticket.
type Message struct {
	ID       uuid.UUID
	Author   string
	AuthorID string
	Body     string
	At       time.Time
}

// Ticket is the aggregate. Use Open for a new ticket or Blank to load one.
type Ticket struct {
	rec              es.Recorder
	id               uuid.UUID
	customerID       uuid.UUID
	orderID          uuid.UUID
	subject          string
	source           string
	status           Status
	assignee         string
	openedAt         time.Time
	firstResponseDue time.Time
	firstResponseAt  time.Time
	messages         []Message
}

// Blank returns an empty ticket ready to have its events applied.
func Blank(id uuid.UUID) *Ticket {
	t := &Ticket{id: id}
	t.rec = es.NewRecorder(t.Apply)
	return t
}

// OpenInput is a new ticket.
type OpenInput struct {
	CustomerID uuid.UUID
	OrderID    uuid.UUID
	Subject    string
	Body       string
	Source     string
	OpenedBy   string
}

// Open validates in and records a new ticket in status open, with its
// first message (Body) from the customer.
func Open(id uuid.UUID, in OpenInput, due time.Time, now time.Time) (*Ticket, error) {
	if id == uuid.Nil || in.CustomerID == uuid.Nil {
		return nil, errors.New("open ticket: nil id")
	}
	var col errs.Collector
	subject := validate.FreeText(&col, FieldSubject, in.Subject, maxSubject, false)
	body := validate.FreeText(&col, FieldBody, in.Body, MaxBodyRunes, true)
	if subject == "" {
		col.Add(FieldSubject, br.CodeRequired, "subject is required")
	}
	if body == "" {
		col.Add(FieldBody, br.CodeRequired, "body is required")
	}
	if err := col.Err(); err != nil {
		return nil, err
	}
	t := Blank(id)
	t.rec.Record(TicketOpened{CustomerID: in.CustomerID, OrderID: in.OrderID, Subject: subject, Body: body,
		Source: in.Source, OpenedBy: in.OpenedBy, OpenedAt: now.UTC(), FirstResponseDue: due.UTC()})
	return t, nil
}

// CustomerWrites records a message of the customer. A ticket waiting for
// the customer, or resolved, goes back to in_progress; a closed ticket
// refuses it.
func (t *Ticket) CustomerWrites(messageID uuid.UUID, body string, now time.Time) error {
	b, err := checkBody(body)
	if err != nil {
		return err
	}
	if t.status == StatusClosed {
		return &TransitionError{From: t.status, To: StatusInProgress}
	}
	t.rec.Record(TicketMessagePosted{CustomerID: t.customerID, MessageID: messageID, Author: AuthorCustomer,
		AuthorID: t.customerID.String(), Body: b, PostedAt: now.UTC()})
	if t.status == StatusWaitingCustomer || t.status == StatusResolved {
		t.rec.Record(TicketStatusChanged{CustomerID: t.customerID, From: t.status.String(), To: StatusInProgress.String(), ChangedAt: now.UTC()})
	}
	return nil
}

// StaffWrites records a staff member's answer. An open ticket moves to
// in_progress; a closed ticket refuses it.
func (t *Ticket) StaffWrites(messageID uuid.UUID, staffID, body string, now time.Time) error {
	b, err := checkBody(body)
	if err != nil {
		return err
	}
	if t.status == StatusClosed {
		return &TransitionError{From: t.status, To: t.status}
	}
	t.rec.Record(TicketMessagePosted{CustomerID: t.customerID, MessageID: messageID, Author: AuthorStaff,
		AuthorID: staffID, Body: b, PostedAt: now.UTC()})
	if t.status == StatusOpen {
		t.rec.Record(TicketStatusChanged{CustomerID: t.customerID, From: t.status.String(), To: StatusInProgress.String(), ChangedAt: now.UTC()})
	}
	return nil
}

// SystemWrites records an automatic message (e.g. the out-of-hours reply).
func (t *Ticket) SystemWrites(messageID uuid.UUID, body string, now time.Time) {
	t.rec.Record(TicketMessagePosted{CustomerID: t.customerID, MessageID: messageID, Author: AuthorSystem,
		Body: body, PostedAt: now.UTC()})
}

// ChangeStatus moves the ticket; an illegal move is a *TransitionError,
// an unknown status a validation error, the same status nothing.
func (t *Ticket) ChangeStatus(status string, now time.Time) error {
	to, err := ParseStatus(status)
	if err != nil {
		return err
	}
	if to == t.status {
		return nil
	}
	if !t.status.CanChangeTo(to) {
		return &TransitionError{From: t.status, To: to}
	}
	t.rec.Record(TicketStatusChanged{CustomerID: t.customerID, From: t.status.String(), To: to.String(), ChangedAt: now.UTC()})
	return nil
}

// Assign gives the ticket to a staff member (identity id); a closed ticket
// refuses it.
func (t *Ticket) Assign(staffID string, now time.Time) error {
	if staffID == "" {
		return errs.Invalid(FieldStaffID, br.CodeRequired, "staff_id is required")
	}
	if len(staffID) > maxStaffIDLen {
		return errs.Invalid(FieldStaffID, br.CodeInvalidFormat, "staff_id is not a staff member")
	}
	if t.status == StatusClosed {
		return &TransitionError{From: t.status, To: t.status}
	}
	if staffID == t.assignee {
		return nil
	}
	t.rec.Record(TicketAssigned{CustomerID: t.customerID, StaffID: staffID, AssignedAt: now.UTC()})
	return nil
}

func checkBody(body string) (string, error) {
	var col errs.Collector
	b := validate.FreeText(&col, FieldBody, body, MaxBodyRunes, true)
	if b == "" && col.Err() == nil {
		col.Add(FieldBody, br.CodeRequired, "body is required")
	}
	return b, col.Err()
}

// Apply implements es.Aggregate.
func (t *Ticket) Apply(e es.Event) {
	switch ev := e.(type) {
	case TicketOpened:
		t.customerID, t.orderID, t.subject, t.source = ev.CustomerID, ev.OrderID, ev.Subject, ev.Source
		t.status, t.openedAt, t.firstResponseDue = StatusOpen, ev.OpenedAt, ev.FirstResponseDue
		t.messages = append(t.messages, Message{Author: AuthorCustomer, AuthorID: ev.CustomerID.String(), Body: ev.Body, At: ev.OpenedAt})
	case TicketMessagePosted:
		t.messages = append(t.messages, Message{ID: ev.MessageID, Author: ev.Author, AuthorID: ev.AuthorID, Body: ev.Body, At: ev.PostedAt})
		if ev.Author == AuthorStaff && t.firstResponseAt.IsZero() {
			t.firstResponseAt = ev.PostedAt
		}
	case TicketStatusChanged:
		t.status = Status{ev.To}
	case TicketAssigned:
		t.assignee = ev.StaffID
	}
}

// Recorder implements es.Aggregate.
func (t *Ticket) Recorder() *es.Recorder { return &t.rec }

// ID returns the ticket id.
func (t *Ticket) ID() uuid.UUID { return t.id }

// CustomerID returns the customer the ticket belongs to.
func (t *Ticket) CustomerID() uuid.UUID { return t.customerID }

// OrderID returns the service order the ticket is about (uuid.Nil: none).
func (t *Ticket) OrderID() uuid.UUID { return t.orderID }

// Subject returns the subject.
func (t *Ticket) Subject() string { return t.subject }

// Status returns the status.
func (t *Ticket) Status() Status { return t.status }

// Assignee returns the assigned staff member's identity id ("" : none).
func (t *Ticket) Assignee() string { return t.assignee }

// OpenedAt returns when the ticket opened.
func (t *Ticket) OpenedAt() time.Time { return t.openedAt }

// FirstResponseDue returns when staff should have answered.
func (t *Ticket) FirstResponseDue() time.Time { return t.firstResponseDue }

// FirstResponseAt returns when staff first answered (zero: not yet).
func (t *Ticket) FirstResponseAt() time.Time { return t.firstResponseAt }

// Messages returns the messages, oldest first.
func (t *Ticket) Messages() []Message { return append([]Message(nil), t.messages...) }

// Exists reports whether the ticket was opened.
func (t *Ticket) Exists() bool { return !t.openedAt.IsZero() }
