package registry

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// Page sizes of API.md.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// limitOf checks a page size: 0 means DefaultLimit.
func limitOf(p PageRequest) (int, error) {
	switch {
	case p.Limit == 0:
		return DefaultLimit, nil
	case p.Limit < 0 || p.Limit > MaxLimit:
		return 0, errs.Invalid("limit", br.CodeOutOfRange, "limit must be from 1 to 200")
	}
	return p.Limit, nil
}

// Cursors are opaque to clients: base64url of "<kind>:<value>", so a cursor
// of one list is refused by another instead of silently misread.
func encodeCursor(kind, value string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + value))
}

var errBadCursor = errs.Invalid("cursor", br.CodeInvalidFormat, "cursor is not one this list returned")

func decodeCursor(kind, cursor string) (string, error) {
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

func uuidCursor(kind, cursor string) (uuid.UUID, error) {
	v, err := decodeCursor(kind, cursor)
	if err != nil || v == "" {
		return uuid.Nil, err
	}
	id, err := uuid.Parse(v)
	if err != nil {
		return uuid.Nil, errBadCursor
	}
	return id, nil
}

func numberCursor(kind, cursor string) (int64, error) {
	v, err := decodeCursor(kind, cursor)
	if err != nil || v == "" {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, errBadCursor
	}
	return n, nil
}

// pageOf cuts items fetched with limit+1 into a page; key gives the cursor
// value of an item.
func pageOf[T any](items []T, limit int, kind string, key func(T) string) Page[T] {
	if len(items) <= limit {
		return Page[T]{Items: nonNil(items)}
	}
	items = items[:limit]
	return Page[T]{Items: items, NextCursor: encodeCursor(kind, key(items[len(items)-1]))}
}

// pageOfSlice pages an append-only list held in memory by offset: new
// entries only ever go to the end, so offsets stay valid.
func pageOfSlice[T any](all []T, p PageRequest, kind string) (Page[T], error) {
	limit, err := limitOf(p)
	if err != nil {
		return Page[T]{}, err
	}
	v, err := decodeCursor(kind, p.Cursor)
	if err != nil {
		return Page[T]{}, err
	}
	off := 0
	if v != "" {
		if off, err = strconv.Atoi(v); err != nil || off < 0 {
			return Page[T]{}, errBadCursor
		}
	}
	if off >= len(all) {
		return Page[T]{Items: []T{}}, nil
	}
	end := min(off+limit, len(all))
	out := Page[T]{Items: all[off:end]}
	if end < len(all) {
		out.NextCursor = encodeCursor(kind, strconv.Itoa(end))
	}
	return out, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
