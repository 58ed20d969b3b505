package support

import (
	"context"

	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/tenant"
)

// ListPublishedArticles is the public help centre of the workshop slug:
// published articles only, searched by in.Query (Portuguese full text). No
// principal is needed.
func (u *UseCases) ListPublishedArticles(ctx context.Context, slug string, in ListArticlesInput) (pagination.Page[Article], error) {
	if _, err := tenant.FromContext(ctx); err != nil && u.d.Directory != nil {
		id, err := u.d.Directory.WorkshopIDBySlug(ctx, slug)
		if err != nil {
			return pagination.Page[Article]{}, err
		}
		ctx = usecase.InOwnTenant(ctx, id)
	}
	return u.listArticles(ctx, ArticleFilter{Query: in.Query, PublishedOnly: true}, in.Page)
}
