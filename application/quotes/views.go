package quotes

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/serviceorder"
)

// Quote is a quote as the API shows it.
type Quote struct {
	ID          uuid.UUID
	OrderID     uuid.UUID
	OrderNumber int64
	CustomerID  uuid.UUID
	OrderStatus string
	Version     int64
	// Status is sent, approved, partially_approved, declined or superseded.
	Status     string
	Items      []Item
	TotalCents int64
	ValidUntil string
	Note       string
	SentAt     time.Time
	// Decision is nil while pending.
	Decision *Decision
}

// Item is a line of a quote and its decision (pending, approved,
// declined).
type Item struct {
	ID             uuid.UUID
	Service        string
	Description    string
	Quantity       int64
	UnitPriceCents int64
	TotalCents     int64
	Decision       string
}

// Decision is the evidence of the customer's decision. ActorEmail, IP and
// UserAgent are personal data: empty for a staff member who may not read
// personal data.
type Decision struct {
	ActorID            string
	ActorEmail         string
	IP                 string
	UserAgent          string
	Version            int64
	ApprovedTotalCents int64
	DecidedAt          time.Time
}

// Personal fields of a decision's evidence, as named in the audit log.
const (
	FieldEvidenceEmail     = "quote.decision.email"
	FieldEvidenceIP        = "quote.decision.ip"
	FieldEvidenceUserAgent = "quote.decision.user_agent"
)

func view(o *serviceorder.ServiceOrder, q serviceorder.Quote, withPII bool) Quote {
	out := Quote{ID: q.ID, OrderID: o.ID(), OrderNumber: o.Number(), CustomerID: o.CustomerID(), OrderStatus: o.Status().String(),
		Version: q.Version, Status: q.Status, TotalCents: q.TotalCents, ValidUntil: q.ValidUntil, Note: q.Note, SentAt: q.SentAt,
		Items: make([]Item, 0, len(q.Items))}
	for _, it := range q.Items {
		out.Items = append(out.Items, Item{ID: it.ID, Service: it.Service, Description: it.Description, Quantity: it.Quantity,
			UnitPriceCents: it.UnitPriceCents, TotalCents: it.TotalCents, Decision: it.Decision})
	}
	if d := q.Decision; d != nil {
		out.Decision = &Decision{ActorID: d.ActorID, Version: d.Version, ApprovedTotalCents: d.ApprovedTotalCents, DecidedAt: d.DecidedAt}
		if withPII {
			out.Decision.ActorEmail, out.Decision.IP, out.Decision.UserAgent = d.ActorEmail, d.IP, d.UserAgent
		}
	}
	return out
}
