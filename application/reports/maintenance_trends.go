package reports

import (
	"context"
)

// MaintenanceTrends is the maintenance-trends report.
// Permission: reports.read.
func (u *UseCases) MaintenanceTrends(ctx context.Context, in PeriodInput) (Trends, error) {
	_, s, err := u.scope(ctx, in)
	if err != nil {
		return Trends{}, err
	}
	return u.d.Store.MaintenanceTrends(ctx, s)
}
