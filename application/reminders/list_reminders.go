package reminders

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// cursorKind names this list's cursors.
const cursorKind = "rem"

// ListInput filters and pages the upcoming reminders.
type ListInput struct {
	// DueBefore keeps due dates strictly before it (zero: all).
	DueBefore time.Time
	// VehicleID keeps one vehicle (uuid.Nil: all); a vehicle of another
	// workshop is errs.ErrNotFound.
	VehicleID uuid.UUID
	Page      pagination.Request
}

// ListReminders lists the next due point of every periodic service of the
// workshop's vehicles, soonest first, with its reminder's status.
// Permission: reminders.read. It first recomputes the workshop's vehicles
// whose history changed (the worker does too, periodically), so an order or
// reading shows as soon as the projection has applied it.
func (u *UseCases) ListReminders(ctx context.Context, in ListInput) (pagination.Page[Item], error) {
	if _, err := authz.Require(ctx, authz.ReadReminders); err != nil {
		return pagination.Page[Item]{}, err
	}
	limit, err := in.Page.Size()
	if err != nil {
		return pagination.Page[Item]{}, err
	}
	after, err := decodeKey(in.Page.Cursor)
	if err != nil {
		return pagination.Page[Item]{}, err
	}
	if err := u.refresh(ctx); err != nil {
		return pagination.Page[Item]{}, err
	}
	if in.VehicleID != uuid.Nil {
		ok, err := u.d.Due.VehicleExists(ctx, in.VehicleID)
		if err != nil {
			return pagination.Page[Item]{}, err
		}
		if !ok {
			return pagination.Page[Item]{}, fmt.Errorf("vehicle %s: %w", in.VehicleID, errs.ErrNotFound)
		}
	}
	items, err := u.d.Due.List(ctx, ListQuery{DueBefore: in.DueBefore, VehicleID: in.VehicleID, After: after, Limit: limit + 1})
	if err != nil {
		return pagination.Page[Item]{}, err
	}
	return pagination.Cut(items, limit, cursorKind, func(it Item) string {
		return it.DueAt.Format(time.DateOnly) + "|" + it.VehicleID.String() + "|" + it.Service
	}), nil
}

func decodeKey(cursor string) (Key, error) {
	v, err := pagination.DecodeCursor(cursorKind, cursor)
	if err != nil || v == "" {
		return Key{}, err
	}
	bad := errs.Invalid("cursor", br.CodeInvalidFormat, "cursor is not one this list returned")
	parts := strings.SplitN(v, "|", 3)
	if len(parts) != 3 || parts[2] == "" {
		return Key{}, bad
	}
	d, err1 := time.Parse(time.DateOnly, parts[0])
	id, err2 := uuid.Parse(parts[1])
	if err1 != nil || err2 != nil {
		return Key{}, bad
	}
	return Key{DueAt: d, VehicleID: id, Service: parts[2]}, nil
}
