package customers

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

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

// customerAlive reports whether a customer exists and is not erased. It
// reads the event store, not a read model, so a customer registered a
// moment ago is found.
func (u *UseCases) customerAlive(ctx context.Context, id uuid.UUID) (bool, error) {
	c, err := u.customers.Load(ctx, id)
	if errors.Is(err, errs.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !c.IsErased(), nil
}
