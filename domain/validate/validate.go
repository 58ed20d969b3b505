// Package validate holds the input checks every aggregate shares: free text
// and the translation of value-object errors into field errors.
package validate

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// CodeTooLong means a text is longer than its field allows.
const CodeTooLong = "too_long"

// FreeText trims outer whitespace and checks what is left: valid UTF-8, no
// control characters (tab and line breaks are allowed when multiline) and at
// most maxRunes characters (runes, not bytes: "São Paulo" counts 9).
// Anything else, including quotes, accents, HTML or SQL-looking text, is kept
// exactly as typed: escaping is the job of whoever renders or queries it.
// Empty input gives "" and no error; callers decide whether it is required.
func FreeText(col *errs.Collector, field, s string, maxRunes int, multiline bool) string {
	s = strings.TrimSpace(s)
	forbidden := func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
	}
	switch {
	case s == "":
	case !utf8.ValidString(s):
		col.Add(field, br.CodeInvalidFormat, "text must be valid UTF-8")
	case strings.ContainsFunc(s, forbidden):
		col.Add(field, br.CodeInvalidFormat, "text must not contain control characters")
	case utf8.RuneCountInString(s) > maxRunes:
		col.Add(field, CodeTooLong, "text is too long")
	}
	return s
}

// AddBR records a parser error from domain/br under the API field name.
func AddBR(col *errs.Collector, field string, err error) {
	var ve *br.ValidationError
	if errors.As(err, &ve) {
		col.Add(field, ve.Code, ve.Message)
		return
	}
	col.Add(field, br.CodeInvalidFormat, err.Error())
}

// AddFieldErrors copies the fields of a *errs.ValidationError into col; any
// other error (or nil) adds nothing.
func AddFieldErrors(col *errs.Collector, err error) {
	var ve *errs.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			col.Add(f.Field, f.Code, f.Message)
		}
	}
}
