package support

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/support"
)

// UpdateArticle replaces an article's kind, title, body and published flag
// (a default stays linked to its key, so it is never seeded again).
func (u *UseCases) UpdateArticle(ctx context.Context, id uuid.UUID, in support.ArticleInput) (Article, error) {
	if _, err := authz.Require(ctx, authz.ManageArticles); err != nil {
		return Article{}, err
	}
	if err := u.seedDefaults(ctx); err != nil {
		return Article{}, err
	}
	old, err := u.d.Articles.Article(ctx, id)
	if err != nil {
		return Article{}, err
	}
	old.UpdatedAt = u.base.Now()
	a, err := u.render(old, in)
	if err != nil {
		return Article{}, err
	}
	return a, u.d.Articles.PutArticle(ctx, a)
}
