package support

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/support"
)

// CreateArticle validates, renders and stores a new article.
func (u *UseCases) CreateArticle(ctx context.Context, in support.ArticleInput) (Article, error) {
	if _, err := authz.Require(ctx, authz.ManageArticles); err != nil {
		return Article{}, err
	}
	now := u.base.Now()
	a, err := u.render(Article{ID: u.base.NewID(), CreatedAt: now, UpdatedAt: now}, in)
	if err != nil {
		return Article{}, err
	}
	return a, u.d.Articles.PutArticle(ctx, a)
}
