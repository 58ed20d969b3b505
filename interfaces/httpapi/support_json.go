package httpapi

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/support"
)

type articleJSON struct {
	ID           uuid.UUID `json:"id"`
	Kind         string    `json:"kind"`
	Title        string    `json:"title"`
	BodyMarkdown string    `json:"body_markdown"`
	BodyHTML     string    `json:"body_html"`
	Published    bool      `json:"published"`
	Default      bool      `json:"default"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

func toArticleJSON(a support.Article) articleJSON {
	return articleJSON{ID: a.ID, Kind: a.Kind, Title: a.Title, BodyMarkdown: a.BodyMarkdown, BodyHTML: a.BodyHTML,
		Published: a.Published, Default: a.DefaultKey != "", CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

type publicArticleJSON struct {
	ID        uuid.UUID `json:"id"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	BodyHTML  string    `json:"body_html"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toPublicArticleJSON(a support.Article) publicArticleJSON {
	return publicArticleJSON{ID: a.ID, Kind: a.Kind, Title: a.Title, BodyHTML: a.BodyHTML, UpdatedAt: a.UpdatedAt}
}

type ticketMessageJSON struct {
	ID       *uuid.UUID `json:"id"`
	Author   string     `json:"author"`
	AuthorID string     `json:"author_id"`
	Body     string     `json:"body"`
	At       time.Time  `json:"at"`
}

type ticketJSON struct {
	ID               uuid.UUID           `json:"id"`
	CustomerID       uuid.UUID           `json:"customer_id"`
	OrderID          *uuid.UUID          `json:"order_id"`
	Subject          string              `json:"subject"`
	Source           string              `json:"source"`
	Status           string              `json:"status"`
	AssigneeID       *string             `json:"assignee_id"`
	OpenedAt         time.Time           `json:"opened_at"`
	FirstResponseDue time.Time           `json:"first_response_due"`
	FirstResponseAt  *time.Time          `json:"first_response_at"`
	Late             bool                `json:"late"`
	LastMessageAt    time.Time           `json:"last_message_at"`
	UpdatedAt        time.Time           `json:"updated_at"`
	Version          int64               `json:"version"`
	Messages         []ticketMessageJSON `json:"messages,omitempty"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (h *SupportHandlers) ticketJSON(t support.Ticket) ticketJSON {
	out := ticketJSON{ID: t.ID, CustomerID: t.CustomerID, OrderID: optUUID(t.OrderID), Subject: t.Subject, Source: t.Source,
		Status: t.Status, AssigneeID: opt(t.AssigneeID), OpenedAt: t.OpenedAt, FirstResponseDue: t.FirstResponseDue,
		FirstResponseAt: optTime(t.FirstResponseAt), Late: t.Late(h.Support.Clock()), LastMessageAt: t.LastMessageAt,
		UpdatedAt: t.UpdatedAt, Version: t.Version}
	for _, m := range t.Messages {
		out.Messages = append(out.Messages, ticketMessageJSON{ID: optUUID(m.ID), Author: m.Author, AuthorID: m.AuthorID, Body: m.Body, At: m.At})
	}
	return out
}
