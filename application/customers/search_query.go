package customers

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// maxQueryRunes bounds a search query.
const maxQueryRunes = 200

// searchQuery turns what the user typed into blind-index lookups. The text
// is tried as every kind it could be: "11987654321" is both a phone and,
// were its check digits right, a CPF.
func (u *UseCases) searchQuery(ctx context.Context, text string, withPII bool) (SearchQuery, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return SearchQuery{}, nil
	case !utf8.ValidString(text):
		return SearchQuery{}, errs.Invalid("q", br.CodeInvalidFormat, "q must be valid UTF-8")
	case utf8.RuneCountInString(text) > maxQueryRunes:
		return SearchQuery{}, errs.Invalid("q", "too_long", "q must have at most 200 characters")
	}
	var exact []privacy.Term
	if withPII {
		for _, f := range []func(string) (privacy.Term, bool){privacy.DocumentTerm, privacy.EmailTerm, privacy.PhoneTerm} {
			if t, ok := f(text); ok {
				exact = append(exact, t)
			}
		}
	}
	if t, ok := privacy.PlateTerm(text); ok {
		exact = append(exact, t)
	}
	var q SearchQuery
	for _, t := range exact {
		h, err := u.d.Index.Index(ctx, t.Kind, t.Value)
		if err != nil {
			return SearchQuery{}, err
		}
		q.AnyOf = append(q.AnyOf, IndexTerm{Kind: t.Kind, Hash: h})
	}
	for _, t := range privacy.NameQueryTerms(text) {
		h, err := u.d.Index.Index(ctx, t.Kind, t.Value)
		if err != nil {
			return SearchQuery{}, err
		}
		q.AllOf = append(q.AllOf, IndexTerm{Kind: t.Kind, Hash: h})
	}
	return q, nil
}
