// Package alive tells whether a customer of the workshop's records is still
// there: registered and not erased. It reads the event store, not a read
// model, so a customer registered a moment ago is found. The records
// modules (customers, vehicles, serviceorders) share it because none of
// them may import the one above it.
package alive

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
)

// Customer reports whether customer id exists and is not erased.
func Customer(ctx context.Context, customers *eventsourcing.Repository[*customer.Customer], id uuid.UUID) (bool, error) {
	c, err := customers.Load(ctx, id)
	if errors.Is(err, errs.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !c.IsErased(), nil
}
