package support

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/support"
	"github.com/torquehq/torque/domain/tenant"
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

// PreviewArticle renders Markdown as the help centre would show it (the
// editor's preview); nothing is stored.
func (u *UseCases) PreviewArticle(ctx context.Context, markdown string) (string, error) {
	if _, err := authz.Require(ctx, authz.ManageArticles); err != nil {
		return "", err
	}
	return u.d.Renderer.RenderMarkdown(markdown)
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
