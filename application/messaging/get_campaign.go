package messaging

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
)

// GetCampaign returns a campaign with its counts. Permission: message.read.
func (u *UseCases) GetCampaign(ctx context.Context, id uuid.UUID) (Campaign, error) {
	if _, err := authz.Require(ctx, authz.ReadMessages); err != nil {
		return Campaign{}, err
	}
	if u.d.Campaigns == nil {
		return Campaign{}, fmt.Errorf("campaigns: %w", errs.ErrNotFound)
	}
	return u.d.Campaigns.Campaign(ctx, id)
}
