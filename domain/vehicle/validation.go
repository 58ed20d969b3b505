package vehicle

import (
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// Stable error codes this package adds to those of domain/br, which it also
// uses.
const (
	// CodeTooLong means a text is longer than its field allows.
	CodeTooLong = "too_long"
	// CodeOdometerRollback means a reading is below the last one and the
	// odometer was not reported as replaced.
	CodeOdometerRollback = "odometer_rollback"
	// CodeSameOwner means a transfer to the customer who already owns the
	// vehicle.
	CodeSameOwner = "same_owner"
)

// API names of the vehicle's fields, used in validation errors and in
// Corrected.Changed.
const (
	FieldPlate      = "plate"
	FieldMake       = "make"
	FieldModel      = "model"
	FieldYear       = "year"
	FieldColor      = "color"
	FieldMileageKm  = "mileage_km"
	FieldSource     = "source"
	FieldCustomerID = "customer_id"
)

// Limits, in characters.
const (
	maxMakeModelRunes = 60
	maxColorRunes     = 40
	minYear           = 1900
)

// freeText trims outer whitespace and checks what is left: valid UTF-8, one
// line without control characters, at most maxRunes characters. Quotes,
// accents, HTML or SQL-looking text are kept exactly as typed. Empty input
// gives "" and no error.
func freeText(col *errs.Collector, field, s string, maxRunes int) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
	case !utf8.ValidString(s):
		col.Add(field, br.CodeInvalidFormat, "text must be valid UTF-8")
	case strings.ContainsFunc(s, unicode.IsControl):
		col.Add(field, br.CodeInvalidFormat, "text must not contain control characters")
	case utf8.RuneCountInString(s) > maxRunes:
		col.Add(field, CodeTooLong, "text is too long")
	}
	return s
}

// requiredText is freeText for a field that cannot be empty.
func requiredText(col *errs.Collector, field, s string, maxRunes int) string {
	s = freeText(col, field, s, maxRunes)
	if s == "" {
		col.Add(field, br.CodeRequired, field+" is required")
	}
	return s
}

func parsePlate(col *errs.Collector, s string) string {
	p, err := br.ParsePlate(s)
	if err != nil {
		addBR(col, FieldPlate, err)
		return ""
	}
	return p.String()
}

// parseYear checks a model year: 1900 up to next year's models, which are
// on sale from mid-year. 0 is what JSON decoding leaves for a missing year.
func parseYear(col *errs.Collector, year int, now time.Time) int {
	switch {
	case year == 0:
		col.Add(FieldYear, br.CodeRequired, "year is required")
	case year < minYear || year > now.Year()+1:
		col.Add(FieldYear, br.CodeOutOfRange, "year must be between 1900 and next year")
	}
	return year
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
