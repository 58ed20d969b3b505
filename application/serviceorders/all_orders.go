package serviceorders

import (
	"context"

	"github.com/torquehq/torque/application/pagination"
)

// maxAllOrders bounds the orders ReadAll gathers page by page.
const maxAllOrders = 100_000

// ReadAll reads every order matching f, newest first (at most 100,000):
// the history of a vehicle, the orders of a data export.
func ReadAll(ctx context.Context, orders ReadModel, f Filter) ([]ServiceOrder, error) {
	out := []ServiceOrder{}
	var before int64
	for len(out) < maxAllOrders {
		page, err := orders.ServiceOrders(ctx, f, before, pagination.MaxLimit)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < pagination.MaxLimit {
			break
		}
		before = page[len(page)-1].Number
	}
	return out, nil
}
