package support

import (
	"context"

	"github.com/torquehq/torque/application/authz"
)

// PreviewArticle renders Markdown as the help centre would show it (the
// editor's preview); nothing is stored.
func (u *UseCases) PreviewArticle(ctx context.Context, markdown string) (string, error) {
	if _, err := authz.Require(ctx, authz.ManageArticles); err != nil {
		return "", err
	}
	return u.d.Renderer.RenderMarkdown(markdown)
}
