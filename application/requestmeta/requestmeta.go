// Package requestmeta carries who is acting and which request chain a change
// belongs to, so that every stored event names its actor and correlation.
package requestmeta

import (
	"context"

	"github.com/google/uuid"
)

// Meta describes the operation in progress.
type Meta struct {
	// Actor identifies who acts: "staff:<identity id>", "customer:<id>", "system:<component>".
	Actor string
	// CorrelationID ties together everything caused by one outside request.
	CorrelationID uuid.UUID
	// CausationID is the id of the message or event that caused this operation (zero for requests).
	CausationID uuid.UUID
	// RequestID is the HTTP request id, for logs.
	RequestID string
}

type ctxKey struct{}

// With returns ctx carrying m.
func With(ctx context.Context, m Meta) context.Context { return context.WithValue(ctx, ctxKey{}, m) }

// From returns the operation metadata, or a system actor with a fresh correlation id.
func From(ctx context.Context) Meta {
	m, ok := ctx.Value(ctxKey{}).(Meta)
	if !ok {
		m = Meta{}
	}
	if m.Actor == "" {
		m.Actor = "system:unknown"
	}
	if m.CorrelationID == uuid.Nil {
		m.CorrelationID = uuid.Must(uuid.NewV7())
	}
	return m
}

// Lookup returns the metadata only when the context carries some.
func Lookup(ctx context.Context) (Meta, bool) {
	m, ok := ctx.Value(ctxKey{}).(Meta)
	return m, ok
}
