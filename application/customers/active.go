package customers

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/alive"
	"github.com/torquehq/torque/domain/errs"
)

// ReadActive reads a customer that exists and is not erased: an erased
// customer is errs.ErrNotFound, like an unknown one.
func ReadActive(ctx context.Context, customers ReadModel, id uuid.UUID, withPII bool) (Customer, error) {
	c, err := customers.Customer(ctx, id, withPII)
	if err != nil {
		return Customer{}, err
	}
	if c.Erased {
		return Customer{}, fmt.Errorf("customer %s was erased: %w", id, errs.ErrNotFound)
	}
	return c, nil
}

// customerAlive is alive.Customer on this module's repository (a
// uniquekeys.Alive for document claims).
func (u *UseCases) customerAlive(ctx context.Context, id uuid.UUID) (bool, error) {
	return alive.Customer(ctx, u.customers, id)
}
