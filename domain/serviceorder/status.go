package serviceorder

import (
	"strings"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// Status is where a service order is in its life:
//
//	open → quoted → approved → in_progress → completed → delivered
//
// with shortcuts from open (a walk-in job needs no formal quote) and
// cancellation from any status before delivered. Delivered and cancelled are
// final. The status endpoint sets in_progress, completed, delivered and
// cancelled; quoted and approved are reached through quotes (SendQuote,
// DecideQuote).
type Status struct{ s string }

// Statuses of a service order.
var (
	StatusOpen       = Status{s: "open"}
	StatusQuoted     = Status{s: "quoted"}
	StatusApproved   = Status{s: "approved"}
	StatusInProgress = Status{s: "in_progress"}
	StatusCompleted  = Status{s: "completed"}
	StatusDelivered  = Status{s: "delivered"}
	StatusCancelled  = Status{s: "cancelled"}
)

// transitions lists the legal next statuses of each status.
var transitions = map[Status][]Status{
	StatusOpen:       {StatusQuoted, StatusApproved, StatusInProgress, StatusCancelled},
	StatusQuoted:     {StatusApproved, StatusCancelled},
	StatusApproved:   {StatusInProgress, StatusCancelled},
	StatusInProgress: {StatusCompleted, StatusCancelled},
	StatusCompleted:  {StatusDelivered, StatusCancelled},
	StatusDelivered:  nil,
	StatusCancelled:  nil,
}

// ParseStatus parses a status name such as "in_progress"; errors are on
// the field "status" (unknown_value, or required for a blank input).
func ParseStatus(s string) (Status, error) {
	st := Status{s: strings.TrimSpace(s)}
	if st.s == "" {
		return Status{}, errs.Invalid(FieldStatus, br.CodeRequired, "status is required")
	}
	if _, ok := transitions[st]; !ok {
		return Status{}, errs.Invalid(FieldStatus, br.CodeUnknownValue,
			"status must be one of open, quoted, approved, in_progress, completed, delivered, cancelled")
	}
	return st, nil
}

// String returns the stable name, e.g. "in_progress" ("" for the zero Status).
func (s Status) String() string { return s.s }

// IsFinal reports whether no change can follow (delivered, cancelled).
func (s Status) IsFinal() bool { return s == StatusDelivered || s == StatusCancelled }

// CanChangeTo reports whether moving from s to to is legal.
func (s Status) CanChangeTo(to Status) bool {
	for _, next := range transitions[s] {
		if next == to {
			return true
		}
	}
	return false
}

// allowsItemChanges reports whether items may still be added or removed:
// only before the customer approved the quote.
func (s Status) allowsItemChanges() bool { return s == StatusOpen || s == StatusQuoted }

// allowsAssignment reports whether a mechanic may still be assigned: until
// the work is completed.
func (s Status) allowsAssignment() bool {
	return s == StatusOpen || s == StatusQuoted || s == StatusApproved || s == StatusInProgress
}

// TransitionError is a refused status change. It wraps
// errs.ErrIllegalTransition, so errors.Is works; From and To let the API
// explain the refusal.
type TransitionError struct {
	From Status
	To   Status
}

// Error names both statuses.
func (e *TransitionError) Error() string {
	return "service order cannot go from " + e.From.String() + " to " + e.To.String() + ": " + errs.ErrIllegalTransition.Error()
}

// Unwrap returns errs.ErrIllegalTransition.
func (e *TransitionError) Unwrap() error { return errs.ErrIllegalTransition }
