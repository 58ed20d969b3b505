package pagination

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// EncodeCursor returns the cursor of value in the list of kind: base64url of
// "<kind>:<value>", opaque to clients.
func EncodeCursor(kind, value string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + value))
}

var errBadCursor = errs.Invalid("cursor", br.CodeInvalidFormat, "cursor is not one this list returned")

// DecodeCursor returns the value of a cursor of the list of kind; "" for
// no cursor (the first page).
func DecodeCursor(kind, cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return "", errBadCursor
	}
	v, ok := strings.CutPrefix(string(raw), kind+":")
	if !ok || v == "" {
		return "", errBadCursor
	}
	return v, nil
}

// UUIDCursor decodes a cursor holding an id; uuid.Nil for no cursor.
func UUIDCursor(kind, cursor string) (uuid.UUID, error) {
	v, err := DecodeCursor(kind, cursor)
	if err != nil || v == "" {
		return uuid.Nil, err
	}
	id, err := uuid.Parse(v)
	if err != nil {
		return uuid.Nil, errBadCursor
	}
	return id, nil
}

// NumberCursor decodes a cursor holding a positive number (e.g. a service
// order's); 0 for no cursor.
func NumberCursor(kind, cursor string) (int64, error) {
	v, err := DecodeCursor(kind, cursor)
	if err != nil || v == "" {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, errBadCursor
	}
	return n, nil
}
