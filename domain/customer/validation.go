package customer

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// Stable error codes this package adds to those of domain/br (required,
// invalid_format, invalid_check_digit, invalid_length, out_of_range,
// unknown_value, repeated_digits), which it also uses.
const (
	// CodeTooLong means a text is longer than its field allows.
	CodeTooLong = "too_long"
)

// Limits of free-text fields, in characters (runes, not bytes: "São Paulo"
// counts 9).
const (
	maxNameRunes        = 200
	maxAddressLineRunes = 200
	maxNoteRunes        = 5000
)

// freeText trims outer whitespace and checks what is left: valid UTF-8, no
// control characters (tab and line breaks are allowed when multiline) and at
// most maxRunes characters. Anything else, including quotes, accents, HTML
// or SQL-looking text, is kept exactly as typed: escaping is the job of
// whoever renders or queries it. Empty input gives "" and no error; callers
// decide whether the field is required.
func freeText(col *errs.Collector, field, s string, maxRunes int, multiline bool) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
	case !utf8.ValidString(s):
		col.Add(field, br.CodeInvalidFormat, "text must be valid UTF-8")
	case strings.ContainsFunc(s, func(r rune) bool { return isForbiddenControl(r, multiline) }):
		col.Add(field, br.CodeInvalidFormat, "text must not contain control characters")
	case utf8.RuneCountInString(s) > maxRunes:
		col.Add(field, CodeTooLong, "text is too long")
	}
	return s
}

func isForbiddenControl(r rune, multiline bool) bool {
	if multiline && (r == '\n' || r == '\r' || r == '\t') {
		return false
	}
	return unicode.IsControl(r)
}

// addBR records a parser error from domain/br under the API field name.
func addBR(col *errs.Collector, field string, err error) {
	var ve *br.ValidationError
	if errors.As(err, &ve) {
		col.Add(field, ve.Code, ve.Message)
		return
	}
	col.Add(field, br.CodeInvalidFormat, err.Error())
}

// addFieldErrors copies the fields of a *errs.ValidationError into col; a
// nil err adds nothing.
func addFieldErrors(col *errs.Collector, err error) {
	var ve *errs.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			col.Add(f.Field, f.Code, f.Message)
		}
	}
}
