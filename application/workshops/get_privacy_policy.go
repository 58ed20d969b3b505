package workshops

import "context"

// GetPrivacyPolicy returns a workshop, by slug, for its public privacy-policy
// page (public: customers read it before they have an account). An empty
// Profile.PrivacyPolicy means the workshop keeps DefaultPrivacyPolicy.
func (u *UseCases) GetPrivacyPolicy(ctx context.Context, slug string) (WorkshopView, error) {
	return u.d.Directory.WorkshopBySlug(ctx, slug)
}
