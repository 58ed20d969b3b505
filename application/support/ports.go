package support

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/support"
)

// Renderer turns an article's Markdown into HTML safe to show in a page:
// no script, no event-handler attributes, no javascript: links.
type Renderer interface {
	RenderMarkdown(markdown string) (string, error)
}

// ArticleFilter narrows a list of articles.
type ArticleFilter struct {
	// PublishedOnly hides drafts and hidden defaults.
	PublishedOnly bool
	// Query is a full-text search ("" : all).
	Query string
}

// ArticleStore keeps the articles of the tenant in ctx.
type ArticleStore interface {
	// SeedDefaults stores defaults once per workshop (later calls, even
	// after the workshop edited or deleted them, store nothing).
	SeedDefaults(ctx context.Context, defaults []Article) error
	// Articles lists articles matching f, after the article with id after
	// (uuid.Nil: from the start), at most limit, in a stable order.
	Articles(ctx context.Context, f ArticleFilter, after uuid.UUID, limit int) ([]Article, error)
	// Article returns one; errs.ErrNotFound when unknown.
	Article(ctx context.Context, id uuid.UUID) (Article, error)
	// PutArticle inserts or replaces an article.
	PutArticle(ctx context.Context, a Article) error
	// DeleteArticle removes one; errs.ErrNotFound when unknown.
	DeleteArticle(ctx context.Context, id uuid.UUID) error
}

// TicketFilter narrows a list of tickets; zero fields match all.
type TicketFilter struct {
	Status     string
	CustomerID []uuid.UUID
	// LateAt lists only tickets without a first response whose due time
	// is before it.
	LateAt time.Time
}

// TicketReadModel reads the tickets of the tenant in ctx.
type TicketReadModel interface {
	// Ticket returns one ticket with its messages; errs.ErrNotFound when unknown.
	Ticket(ctx context.Context, id uuid.UUID) (Ticket, error)
	// Tickets returns at most limit tickets matching f with an id below
	// before (uuid.Nil: no bound), newest first, without messages.
	Tickets(ctx context.Context, f TicketFilter, before uuid.UUID, limit int) ([]Ticket, error)
}

// WorkshopHours gives the opening hours of the tenant in ctx.
type WorkshopHours interface {
	// OpeningHours returns the workshop's time zone ("" : America/Sao_Paulo)
	// and weekly windows (empty: support.DefaultHours).
	OpeningHours(ctx context.Context) (timeZone string, windows []support.Window, err error)
}

// OrderOwners names the customer of a service order of the tenant in ctx.
type OrderOwners interface {
	// OrderCustomer returns errs.ErrNotFound for an unknown order.
	OrderCustomer(ctx context.Context, orderID uuid.UUID) (uuid.UUID, error)
}

// ReplyNotice is a staff reply a customer should hear about.
type ReplyNotice struct {
	TicketID   uuid.UUID
	CustomerID uuid.UUID
	Subject    string
	Body       string
}

// TicketNotifier tells a car owner that staff answered their ticket
// (e-mail today; the messaging outbox will replace it).
type TicketNotifier interface {
	StaffReplied(ctx context.Context, n ReplyNotice) error
}

// Workshops resolves a slug (public pages) to a workshop id.
type Workshops interface {
	// WorkshopIDBySlug returns errs.ErrNotFound for an unknown slug.
	WorkshopIDBySlug(ctx context.Context, slug string) (uuid.UUID, error)
}
