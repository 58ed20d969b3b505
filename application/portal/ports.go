package portal

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
)

// Records are the customer use cases the portal reuses under the car owner's
// principal (they accept it through authz.RequireOnCustomer).
type Records interface {
	GetCustomer(ctx context.Context, id uuid.UUID) (customers.Customer, error)
	CorrectCustomer(ctx context.Context, in customers.CorrectCustomerInput) (customers.Customer, error)
}

// Exporter is the LGPD export use case.
type Exporter interface {
	ExportCustomer(ctx context.Context, id uuid.UUID) (datasubject.Export, error)
}

// LoginFlows keeps, per tenant (in ctx) and e-mail blind index, the login
// flow waiting for its code. It holds secrets of the server: never expose a
// flow id.
type LoginFlows interface {
	// Save stores (replacing any earlier one) the flow of emailIndex until expiresAt.
	Save(ctx context.Context, emailIndex, flowID string, expiresAt time.Time) error
	// Flow returns the flow of emailIndex that has not expired at now;
	// errs.ErrNotFound when there is none.
	Flow(ctx context.Context, emailIndex string, now time.Time) (string, error)
	// Delete forgets the flow of emailIndex (absent is not an error).
	Delete(ctx context.Context, emailIndex string) error
}

// ErasureRequest is a car owner's pending erasure request.
type ErasureRequest struct {
	CustomerID  uuid.UUID
	Name        string
	RequestedAt time.Time
}

// ErasureRequests reads the pending erasure requests of the tenant in ctx.
type ErasureRequests interface {
	// PendingErasures returns the requests of customers not erased yet,
	// oldest first.
	PendingErasures(ctx context.Context) ([]ErasureRequest, error)
}
