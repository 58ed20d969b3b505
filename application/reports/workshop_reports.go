package reports

import (
	"context"

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

// maxOverdue bounds the overdue list of the frequency report.
const maxOverdue = 200
