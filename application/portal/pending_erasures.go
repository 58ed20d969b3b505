package portal

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
)

// PendingErasures lists the erasure requests the workshop has not confirmed
// yet (back office; authz.EraseCustomer: the owner confirms them).
func (u *UseCases) PendingErasures(ctx context.Context) ([]ErasureRequest, error) {
	if _, err := authz.Require(ctx, authz.EraseCustomer); err != nil {
		return nil, err
	}
	rs, err := u.d.Erasures.PendingErasures(ctx)
	if err != nil || len(rs) == 0 {
		return rs, err
	}
	ids := make([]uuid.UUID, len(rs))
	for i, r := range rs {
		ids[i] = r.CustomerID
	}
	cs, err := u.d.Customers.CustomersByID(ctx, ids, false)
	if err != nil {
		return nil, err
	}
	names := make(map[uuid.UUID]string, len(cs))
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	for i := range rs {
		rs[i].Name = names[rs[i].CustomerID]
	}
	return rs, nil
}
