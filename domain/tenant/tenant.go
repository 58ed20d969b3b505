// Package tenant identifies the workshop (tenant) that owns every piece of data
// and carries it through a request. Resolution fails closed: there is no
// default tenant.
package tenant

import (
	"context"
	"errors"

	"github.com/google/uuid"
)

// ID identifies a tenant (a workshop).
type ID struct{ u uuid.UUID }

// ErrNoTenant is returned when a context carries no tenant.
var ErrNoTenant = errors.New("no tenant in context")

// ErrInvalidID is returned when a tenant id cannot be parsed or is nil.
var ErrInvalidID = errors.New("invalid tenant id")

// Parse parses a tenant id; the nil UUID is refused.
func Parse(s string) (ID, error) {
	u, err := uuid.Parse(s)
	if err != nil || u == uuid.Nil {
		return ID{}, ErrInvalidID
	}
	return ID{u}, nil
}

// FromUUID wraps a UUID; the nil UUID is refused.
func FromUUID(u uuid.UUID) (ID, error) {
	if u == uuid.Nil {
		return ID{}, ErrInvalidID
	}
	return ID{u}, nil
}

// MustParse is for tests and constants.
func MustParse(s string) ID {
	id, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return id
}

// UUID returns the underlying UUID.
func (id ID) UUID() uuid.UUID { return id.u }

// String returns the canonical UUID text.
func (id ID) String() string { return id.u.String() }

// IsZero reports whether id is unset.
func (id ID) IsZero() bool { return id.u == uuid.Nil }

type ctxKey struct{}

// WithTenant returns a context carrying the tenant.
func WithTenant(ctx context.Context, id ID) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// FromContext returns the tenant of the context or ErrNoTenant.
func FromContext(ctx context.Context) (ID, error) {
	id, ok := ctx.Value(ctxKey{}).(ID)
	if !ok || id.IsZero() {
		return ID{}, ErrNoTenant
	}
	return id, nil
}
