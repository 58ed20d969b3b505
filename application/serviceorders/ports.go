package serviceorders

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/catalog"
)

// Filter narrows a list of service orders; zero fields match all.
type Filter struct {
	Status     string
	CustomerID uuid.UUID
	VehicleID  uuid.UUID
}

// ReadModel reads the service-order board.
type ReadModel interface {
	// ServiceOrder returns one order; errs.ErrNotFound when unknown.
	ServiceOrder(ctx context.Context, id uuid.UUID) (ServiceOrder, error)
	// ServiceOrders returns at most limit orders matching f with a number
	// below beforeNumber (0: no bound), newest (highest number) first.
	ServiceOrders(ctx context.Context, f Filter, beforeNumber int64, limit int) ([]ServiceOrder, error)
}

// Catalogs gives the service catalogue of the tenant in ctx (the default
// codes plus the workshop's own).
type Catalogs interface {
	Catalog(ctx context.Context) (catalog.Catalog, error)
}
