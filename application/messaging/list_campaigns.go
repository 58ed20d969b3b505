package messaging

import (
	"context"

	"github.com/torquehq/torque/application/authz"
)

// ListCampaigns lists the campaigns, newest first. Permission: message.read.
func (u *UseCases) ListCampaigns(ctx context.Context) ([]Campaign, error) {
	if _, err := authz.Require(ctx, authz.ReadMessages); err != nil {
		return nil, err
	}
	if u.d.Campaigns == nil {
		return nil, nil
	}
	return u.d.Campaigns.Campaigns(ctx)
}
