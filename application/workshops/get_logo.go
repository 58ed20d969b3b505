package workshops

import "context"

// GetLogo returns a workshop's logo, by slug (public: it brands the portal).
func (u *UseCases) GetLogo(ctx context.Context, slug string) (Asset, error) {
	ws, err := u.d.Directory.WorkshopBySlug(ctx, slug)
	if err != nil {
		return Asset{}, err
	}
	return u.d.Assets.Get(inTenant(ctx, ws.ID), logoAsset)
}
