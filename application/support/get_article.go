package support

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
)

// GetArticle returns one article (permission support.articles).
func (u *UseCases) GetArticle(ctx context.Context, id uuid.UUID) (Article, error) {
	if _, err := authz.Require(ctx, authz.ManageArticles); err != nil {
		return Article{}, err
	}
	if err := u.seedDefaults(ctx); err != nil {
		return Article{}, err
	}
	return u.d.Articles.Article(ctx, id)
}
