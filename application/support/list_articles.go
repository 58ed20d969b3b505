package support

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/domain/support"
)

const cursorArticles = "art"

// ListArticlesInput is GET .../articles (staff) or the portal's public list.
type ListArticlesInput struct {
	Query string
	Page  pagination.Request
}

// ListArticles lists every article of the workshop, drafts and hidden
// defaults included (permission support.articles). The pt-BR defaults are
// stored on the first list.
func (u *UseCases) ListArticles(ctx context.Context, in ListArticlesInput) (pagination.Page[Article], error) {
	if _, err := authz.Require(ctx, authz.ManageArticles); err != nil {
		return pagination.Page[Article]{}, err
	}
	return u.listArticles(ctx, ArticleFilter{Query: in.Query}, in.Page)
}

func (u *UseCases) listArticles(ctx context.Context, f ArticleFilter, page pagination.Request) (pagination.Page[Article], error) {
	limit, err := page.Size()
	if err != nil {
		return pagination.Page[Article]{}, err
	}
	after, err := pagination.UUIDCursor(cursorArticles, page.Cursor)
	if err != nil {
		return pagination.Page[Article]{}, err
	}
	if len(f.Query) > 200 {
		f.Query = f.Query[:200]
	}
	if err := u.seedDefaults(ctx); err != nil {
		return pagination.Page[Article]{}, err
	}
	items, err := u.d.Articles.Articles(ctx, f, after, limit+1)
	if err != nil {
		return pagination.Page[Article]{}, err
	}
	return pagination.Cut(items, limit, cursorArticles, func(a Article) string { return a.ID.String() }), nil
}

func (u *UseCases) render(a Article, in support.ArticleInput) (Article, error) {
	v, err := support.ValidateArticle(in)
	if err != nil {
		return Article{}, err
	}
	html, err := u.d.Renderer.RenderMarkdown(v.BodyMarkdown)
	if err != nil {
		return Article{}, err
	}
	a.Kind, a.Title, a.BodyMarkdown, a.BodyHTML, a.Published = v.Kind, v.Title, v.BodyMarkdown, html, v.Published
	return a, nil
}
