package support

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
)

// DeleteArticle removes an article (a deleted default does not come back).
func (u *UseCases) DeleteArticle(ctx context.Context, id uuid.UUID) error {
	if _, err := authz.Require(ctx, authz.ManageArticles); err != nil {
		return err
	}
	if err := u.seedDefaults(ctx); err != nil {
		return err
	}
	return u.d.Articles.DeleteArticle(ctx, id)
}
