package support

import (
	"strings"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/validate"
)

// Kinds of help-centre article.
const (
	KindFAQ      = "faq"
	KindTutorial = "tutorial"
)

// Article limits.
const (
	MaxArticleTitle = 200
	MaxArticleBody  = 50_000
)

// ArticleInput is an article as received.
type ArticleInput struct {
	Kind         string
	Title        string
	BodyMarkdown string
	Published    bool
}

// ValidateArticle checks an article and returns it trimmed; every bad field
// is reported at once, named with the API field names.
func ValidateArticle(in ArticleInput) (ArticleInput, error) {
	var col errs.Collector
	in.Kind = strings.TrimSpace(in.Kind)
	if in.Kind != KindFAQ && in.Kind != KindTutorial {
		col.Add("kind", br.CodeUnknownValue, "kind must be faq or tutorial")
	}
	in.Title = validate.FreeText(&col, "title", in.Title, MaxArticleTitle, false)
	if in.Title == "" {
		col.Add("title", br.CodeRequired, "title is required")
	}
	in.BodyMarkdown = validate.FreeText(&col, "body_markdown", in.BodyMarkdown, MaxArticleBody, true)
	if in.BodyMarkdown == "" {
		col.Add("body_markdown", br.CodeRequired, "body_markdown is required")
	}
	return in, col.Err()
}
