// Package alive tells whether a customer of the workshop's records is still
// there: registered and not erased. It reads the event store, not a read
// model, so a customer registered a moment ago is found. The records
// modules (customers, vehicles, serviceorders) share it because none of
// them may import the one above it.
package alive

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/customer"
)

// Customer reports whether customer id exists and is not erased. It looks
// at the stream's event types only: an order opened for a customer must not
// decrypt the whole customer history just to learn that it is there.
func Customer(ctx context.Context, customers *eventsourcing.Repository[*customer.Customer], id uuid.UUID) (bool, error) {
	types, err := customers.EventTypes(ctx, id)
	if err != nil {
		return false, err
	}
	return len(types) > 0 && !slices.Contains(types, customer.Erased{}.EventName()), nil
}
