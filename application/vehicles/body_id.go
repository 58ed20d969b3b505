package vehicles

import (
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// parseBodyID parses a required id given in a request body.
func parseBodyID(field, s string) (uuid.UUID, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return uuid.Nil, errs.Invalid(field, br.CodeRequired, field+" is required")
	}
	id, err := uuid.Parse(s)
	if err != nil || id == uuid.Nil {
		return uuid.Nil, errs.Invalid(field, br.CodeInvalidFormat, field+" must be a UUID")
	}
	return id, nil
}
