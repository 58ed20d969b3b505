package support

import (
	"time"

	"github.com/google/uuid"
)

// Article is a help-centre article.
type Article struct {
	ID           uuid.UUID
	Kind         string
	Title        string
	BodyMarkdown string
	BodyHTML     string
	Published    bool
	// DefaultKey names the default it came from ("" : the workshop's own).
	DefaultKey string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Ticket is a ticket as the read model shows it.
type Ticket struct {
	ID               uuid.UUID
	CustomerID       uuid.UUID
	OrderID          uuid.UUID
	Subject          string
	Source           string
	Status           string
	AssigneeID       string
	OpenedAt         time.Time
	FirstResponseDue time.Time
	FirstResponseAt  time.Time
	LastMessageAt    time.Time
	UpdatedAt        time.Time
	Version          int64
	// Messages are filled by Ticket (one ticket), oldest first.
	Messages []TicketMessage
}

// Late reports whether staff have not answered by the due time.
func (t Ticket) Late(now time.Time) bool {
	return t.FirstResponseAt.IsZero() && now.After(t.FirstResponseDue)
}

// TicketMessage is one message of a ticket.
type TicketMessage struct {
	ID       uuid.UUID
	Author   string
	AuthorID string
	Body     string
	At       time.Time
}
