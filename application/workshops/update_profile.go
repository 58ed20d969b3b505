package workshops

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/workshop"
)

// UpdateProfile changes the workshop profile; expectedVersion (If-Match) is
// optional. Editing the privacy policy needs its own permission.
func (u *UseCases) UpdateProfile(ctx context.Context, in workshop.ProfileInput, expectedVersion *int64) (WorkshopView, error) {
	p, err := authz.Require(ctx, authz.UpdateWorkshop)
	if err != nil {
		return WorkshopView{}, err
	}
	if in.PrivacyPolicy != nil {
		if _, err := authz.Require(ctx, authz.EditPrivacyPolicy); err != nil {
			return WorkshopView{}, err
		}
	}
	// Unlike usecase.UpdateOptions, a conflict without If-Match is reported,
	// not retried: the new profile was decided on what the caller saw.
	opts := []eventsourcing.UpdateOption{}
	if expectedVersion != nil {
		opts = append(opts, eventsourcing.ExpectVersion(*expectedVersion))
	}
	res, err := u.workshops.Update(ctx, p.Tenant.UUID(), func(w *workshop.Workshop) error { return w.UpdateProfile(in) }, opts...)
	if err != nil {
		return WorkshopView{}, err
	}
	u.Await(ctx, res)
	return u.d.Directory.WorkshopByID(ctx, p.Tenant.UUID())
}
