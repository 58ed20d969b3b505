package workshops

import (
	"context"

	"github.com/torquehq/torque/application/usecase"
)

// GetLogo returns a workshop's logo, by slug (public: it brands the portal).
func (u *UseCases) GetLogo(ctx context.Context, slug string) (Asset, error) {
	ws, err := u.d.Directory.WorkshopBySlug(ctx, slug)
	if err != nil {
		return Asset{}, err
	}
	return u.d.Assets.Get(usecase.InOwnTenant(ctx, ws.ID), logoAsset)
}
