// Package pagination pages the lists of the API (API.md): a page size from 1
// to MaxLimit and an opaque cursor naming where the next page starts.
//
// Every list names its cursors with a kind of its own (one short word, unique
// among the lists), so a cursor of one list is refused by another instead of
// being silently misread.
package pagination

import (
	"strconv"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// Page sizes of API.md.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Request asks for one page of a list: Limit 0 means DefaultLimit;
// Cursor is the NextCursor of the previous page ("" for the first).
type Request struct {
	Limit  int
	Cursor string
}

// Page is one page of a list; NextCursor is "" on the last page.
type Page[T any] struct {
	Items      []T
	NextCursor string
}

// Size checks the page size asked for: 0 means DefaultLimit.
func (r Request) Size() (int, error) {
	switch {
	case r.Limit == 0:
		return DefaultLimit, nil
	case r.Limit < 0 || r.Limit > MaxLimit:
		return 0, errs.Invalid("limit", br.CodeOutOfRange, "limit must be from 1 to 200")
	}
	return r.Limit, nil
}

// Cut turns items fetched with limit+1 into a page; key gives the cursor
// value of an item (the last item of the page is where the next starts).
func Cut[T any](items []T, limit int, kind string, key func(T) string) Page[T] {
	if len(items) <= limit {
		return Page[T]{Items: NonNil(items)}
	}
	items = items[:limit]
	return Page[T]{Items: items, NextCursor: EncodeCursor(kind, key(items[len(items)-1]))}
}

// OfSlice pages an append-only list held in memory by offset: new entries
// only ever go to the end, so offsets stay valid.
func OfSlice[T any](all []T, r Request, kind string) (Page[T], error) {
	limit, err := r.Size()
	if err != nil {
		return Page[T]{}, err
	}
	v, err := DecodeCursor(kind, r.Cursor)
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
		out.NextCursor = EncodeCursor(kind, strconv.Itoa(end))
	}
	return out, nil
}

// NonNil returns s, or an empty list for nil: the API shows an empty list
// as [], never null.
func NonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
