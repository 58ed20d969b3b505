package workshops

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/catalog"
)

// Directory reads the workshops read model.
type Directory interface {
	// WorkshopBySlug returns errs.ErrNotFound for an unknown slug.
	WorkshopBySlug(ctx context.Context, slug string) (WorkshopView, error)
	// WorkshopByID returns errs.ErrNotFound for an unknown id.
	WorkshopByID(ctx context.Context, id uuid.UUID) (WorkshopView, error)
}

// Asset is a stored file.
type Asset struct {
	ContentType string
	Data        []byte
	SHA256      string
}

// AssetStore keeps a workshop's files (tenant of ctx).
type AssetStore interface {
	// Put stores (or replaces) the named asset.
	Put(ctx context.Context, name string, a Asset) error
	// Get returns errs.ErrNotFound when there is none.
	Get(ctx context.Context, name string) (Asset, error)
}

// CatalogReader reads a workshop's service catalogue (default + own).
type CatalogReader interface {
	// Catalog returns the catalogue of the workshop in ctx.
	Catalog(ctx context.Context) (catalog.Catalog, error)
}
