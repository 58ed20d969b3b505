package support

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/es"
)

// Events of the support-ticket stream. Each names the car owner as
// CustomerID: the subject and message bodies a person writes are personal
// data and are sealed under that customer's key (see Events below).

// TicketOpened records a new ticket in status open. OrderID is uuid.Nil
// when the ticket is about no service order; Source is "portal", "staff",
// "chat" or "feedback". FirstResponseDue is computed from the workshop's
// opening hours when the ticket opens.
type TicketOpened struct {
	CustomerID       uuid.UUID
	OrderID          uuid.UUID
	Subject          string
	Body             string
	Source           string
	OpenedBy         string
	OpenedAt         time.Time
	FirstResponseDue time.Time
}

// TicketMessagePosted records a message on a ticket. Author is "customer",
// "staff" or "system"; AuthorID is the staff member's identity id or the
// customer id.
type TicketMessagePosted struct {
	CustomerID uuid.UUID
	MessageID  uuid.UUID
	Author     string
	AuthorID   string
	Body       string
	PostedAt   time.Time
}

// TicketStatusChanged records a move from status From to status To.
type TicketStatusChanged struct {
	CustomerID uuid.UUID
	From       string
	To         string
	ChangedAt  time.Time
}

// TicketAssigned records that the staff member StaffID (an identity id)
// answers the ticket.
type TicketAssigned struct {
	CustomerID uuid.UUID
	StaffID    string
	AssignedAt time.Time
}

// EventName implements es.Event.
func (TicketOpened) EventName() string { return "support_ticket.opened.v1" }

// EventName implements es.Event.
func (TicketMessagePosted) EventName() string { return "support_ticket.message_posted.v1" }

// EventName implements es.Event.
func (TicketStatusChanged) EventName() string { return "support_ticket.status_changed.v1" }

// EventName implements es.Event.
func (TicketAssigned) EventName() string { return "support_ticket.assigned.v1" }

// Events lists every event type of the support-ticket stream. The texts a
// person writes (subject and bodies) are personal fields of the customer.
var Events = es.Catalogue{
	{Event: TicketOpened{}, Subject: "CustomerID", Personal: []string{"Subject", "Body"}},
	{Event: TicketMessagePosted{}, Subject: "CustomerID", Personal: []string{"Body"}},
	{Event: TicketStatusChanged{}},
	{Event: TicketAssigned{}},
}
