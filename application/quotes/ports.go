package quotes

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/catalog"
)

// Locator finds quotes in the read model.
type Locator interface {
	// OrderOfQuote returns the id of the service order quote quoteID
	// belongs to, in the tenant of ctx; errs.ErrNotFound when unknown
	// there.
	OrderOfQuote(ctx context.Context, quoteID uuid.UUID) (uuid.UUID, error)
}

// Catalogs gives the service catalogue of the tenant in ctx (the default
// codes plus the workshop's own).
type Catalogs interface {
	Catalog(ctx context.Context) (catalog.Catalog, error)
}
