package readmodel

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/support"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var _ support.ArticleStore = (*PostgresArticleStore)(nil)

// PostgresArticleStore keeps the help-centre articles (support_articles),
// searched with Portuguese full text.
type PostgresArticleStore struct{ pool *pgxpool.Pool }

// NewArticleStore returns the adapter; pool connects as the runtime role.
func NewArticleStore(pool *pgxpool.Pool) *PostgresArticleStore {
	return &PostgresArticleStore{pool: pool}
}

const articleColumns = `article_id, kind, title, body_markdown, body_html, published, default_key, created_at, updated_at`

func scanArticle(row pgx.CollectableRow) (support.Article, error) {
	var a support.Article
	err := row.Scan(&a.ID, &a.Kind, &a.Title, &a.BodyMarkdown, &a.BodyHTML, &a.Published, &a.DefaultKey, &a.CreatedAt, &a.UpdatedAt)
	return a, err
}

// SeedDefaults implements support.ArticleStore.
func (s *PostgresArticleStore) SeedDefaults(ctx context.Context, defaults []support.Article) error {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	return postgres.InTenantTx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO support_article_seeds (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING`, tid.UUID())
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		for _, a := range defaults {
			if err := putArticle(ctx, tx, tid, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// Articles implements support.ArticleStore. With a query, matches come by
// Portuguese full text or by a title containing the query.
func (s *PostgresArticleStore) Articles(ctx context.Context, f support.ArticleFilter, after uuid.UUID, limit int) ([]support.Article, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	q := strings.TrimSpace(f.Query)
	// Stable order: kind (FAQ first), then id; the cursor is the last id of
	// the page within the same order, so compare (kind, id).
	sql := `SELECT ` + articleColumns + ` FROM support_articles WHERE tenant_id = $1
		AND ($2::bool = false OR published)
		AND ($3 = '' OR search @@ websearch_to_tsquery('portuguese', $3) OR title ILIKE '%' || $4 || '%')
		AND ($5::uuid IS NULL OR (kind, article_id) > (SELECT kind, article_id FROM support_articles WHERE tenant_id = $1 AND article_id = $5))
		ORDER BY kind, article_id LIMIT $6`
	var afterArg any
	if after != uuid.Nil {
		afterArg = after
	}
	return collect(ctx, s.pool, scanArticle, sql, tid.UUID(), f.PublishedOnly, q, likeEscape(q), afterArg, limit)
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Article implements support.ArticleStore.
func (s *PostgresArticleStore) Article(ctx context.Context, id uuid.UUID) (support.Article, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return support.Article{}, err
	}
	out, err := collect(ctx, s.pool, scanArticle, `SELECT `+articleColumns+` FROM support_articles WHERE tenant_id = $1 AND article_id = $2`, tid.UUID(), id)
	if err != nil {
		return support.Article{}, err
	}
	if len(out) == 0 {
		return support.Article{}, fmt.Errorf("article %s: %w", id, errs.ErrNotFound)
	}
	return out[0], nil
}

// PutArticle implements support.ArticleStore.
func (s *PostgresArticleStore) PutArticle(ctx context.Context, a support.Article) error {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	return postgres.InTenantTx(ctx, s.pool, func(tx pgx.Tx) error { return putArticle(ctx, tx, tid, a) })
}

func putArticle(ctx context.Context, tx pgx.Tx, tid tenant.ID, a support.Article) error {
	_, err := tx.Exec(ctx, `INSERT INTO support_articles (tenant_id, `+articleColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (tenant_id, article_id) DO UPDATE SET kind = EXCLUDED.kind, title = EXCLUDED.title,
		body_markdown = EXCLUDED.body_markdown, body_html = EXCLUDED.body_html, published = EXCLUDED.published,
		updated_at = EXCLUDED.updated_at`,
		tid.UUID(), a.ID, a.Kind, a.Title, a.BodyMarkdown, a.BodyHTML, a.Published, a.DefaultKey, a.CreatedAt, a.UpdatedAt)
	return err
}

// DeleteArticle implements support.ArticleStore.
func (s *PostgresArticleStore) DeleteArticle(ctx context.Context, id uuid.UUID) error {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	err = postgres.InTenantTx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM support_articles WHERE tenant_id = $1 AND article_id = $2`, tid.UUID(), id)
		if err == nil && tag.RowsAffected() == 0 {
			return pgx.ErrNoRows
		}
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("article %s: %w", id, errs.ErrNotFound)
	}
	return err
}
