package reports

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/tenant"
)

// scope checks reports.read in the workshop of ctx and resolves the period in
// the workshop's time zone.
func (u *UseCases) scope(ctx context.Context, in PeriodInput) (authz.Principal, Scope, error) {
	p, err := authz.Require(ctx, authz.ReadReports)
	if err != nil {
		return p, Scope{}, err
	}
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return p, Scope{}, err
	}
	w, err := u.d.Workshops.WorkshopByID(ctx, tid.UUID())
	if err != nil {
		return p, Scope{}, err
	}
	loc := location(w.TimeZone)
	from, to, err := in.resolve(u.base.Now(), loc)
	if err != nil {
		return p, Scope{}, err
	}
	return p, Scope{WorkshopIDs: []uuid.UUID{tid.UUID()}, From: from, To: to, TimeZone: loc.String()}, nil
}

// Satisfaction is the NPS/CSAT report of the caller's workshop.
// Permission: reports.read. Consistency: analytics lags the records by the
// projection's delay (seconds; longer while ClickHouse is away).
func (u *UseCases) Satisfaction(ctx context.Context, in PeriodInput) (Satisfaction, error) {
	_, s, err := u.scope(ctx, in)
	if err != nil {
		return Satisfaction{}, err
	}
	return u.d.Store.Satisfaction(ctx, s)
}

// TopServices is the most requested services report.
// Permission: reports.read.
func (u *UseCases) TopServices(ctx context.Context, in PeriodInput) ([]ServiceFigure, error) {
	_, s, err := u.scope(ctx, in)
	if err != nil {
		return nil, err
	}
	return u.d.Store.TopServices(ctx, s)
}

// MaintenanceTrends is the maintenance-trends report.
// Permission: reports.read.
func (u *UseCases) MaintenanceTrends(ctx context.Context, in PeriodInput) (Trends, error) {
	_, s, err := u.scope(ctx, in)
	if err != nil {
		return Trends{}, err
	}
	return u.d.Store.MaintenanceTrends(ctx, s)
}

// maxOverdue bounds the overdue list of the frequency report.
const maxOverdue = 200

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
