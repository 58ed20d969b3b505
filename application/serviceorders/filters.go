package serviceorders

import (
	"errors"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// addFieldErrors copies the fields of a *errs.ValidationError into col.
func addFieldErrors(col *errs.Collector, err error) {
	var ve *errs.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			col.Add(f.Field, f.Code, f.Message)
		}
	}
}

// optionalID parses an id filter; "" is no filter, and a malformed id is
// added to col as a validation error on field.
func optionalID(col *errs.Collector, field, s string) uuid.UUID {
	if s == "" {
		return uuid.Nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		col.Add(field, br.CodeInvalidFormat, field+" must be a UUID")
		return uuid.Nil
	}
	return id
}
