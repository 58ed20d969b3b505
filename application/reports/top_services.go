package reports

import (
	"context"
)

// TopServices is the most requested services report.
// Permission: reports.read.
func (u *UseCases) TopServices(ctx context.Context, in PeriodInput) ([]ServiceFigure, error) {
	_, s, err := u.scope(ctx, in)
	if err != nil {
		return nil, err
	}
	return u.d.Store.TopServices(ctx, s)
}
