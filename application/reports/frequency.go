package reports

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
)

// Frequency is the visit-frequency report. Overdue customers come as
// pseudonyms from the store; staff allowed to read customers (customer.read)
// get their ids and names from the workshop's read model, others get the
// pseudonym only. Permission: reports.read.
func (u *UseCases) Frequency(ctx context.Context, in PeriodInput) (Frequency, error) {
	p, s, err := u.scope(ctx, in)
	if err != nil {
		return Frequency{}, err
	}
	f, err := u.d.Store.Frequency(ctx, s, u.base.Now())
	if err != nil {
		return Frequency{}, err
	}
	if len(f.Overdue) > maxOverdue {
		f.Overdue = f.Overdue[:maxOverdue]
	}
	if len(f.Overdue) == 0 || !authz.Allowed(p.Role, authz.ReadCustomer) {
		return f, nil
	}
	ids, err := u.d.Customers.CustomerIDs(ctx)
	if err != nil {
		return Frequency{}, fmt.Errorf("reports: customer ids: %w", err)
	}
	w := s.WorkshopIDs[0]
	byPID := make(map[uuid.UUID]uuid.UUID, len(ids))
	for _, id := range ids {
		byPID[u.d.Pseudonyms.Customer(w, id)] = id
	}
	var want []uuid.UUID
	for i, o := range f.Overdue {
		if id, ok := byPID[o.CustomerPID]; ok {
			f.Overdue[i].CustomerID = id
			want = append(want, id)
		}
	}
	cs, err := u.d.Customers.CustomersByID(ctx, want, true)
	if err != nil {
		return Frequency{}, err
	}
	names := make(map[uuid.UUID]string, len(cs))
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	for i := range f.Overdue {
		f.Overdue[i].Name = names[f.Overdue[i].CustomerID]
	}
	return f, nil
}
