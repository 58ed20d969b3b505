package support

import (
	"fmt"
	"strings"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// Status is where a ticket is in its life:
//
//	open → in_progress → waiting_customer → resolved → closed
//
// Staff may also answer straight from open (open → waiting_customer),
// resolve from any active status, and take a waiting ticket back
// (waiting_customer → in_progress). A customer message moves a
// waiting_customer or resolved ticket back to in_progress (resolved
// reopens). Closed is final.
type Status struct{ s string }

// Statuses of a ticket.
var (
	StatusOpen            = Status{"open"}
	StatusInProgress      = Status{"in_progress"}
	StatusWaitingCustomer = Status{"waiting_customer"}
	StatusResolved        = Status{"resolved"}
	StatusClosed          = Status{"closed"}
)

var transitions = map[Status][]Status{
	StatusOpen:            {StatusInProgress, StatusWaitingCustomer, StatusResolved},
	StatusInProgress:      {StatusWaitingCustomer, StatusResolved},
	StatusWaitingCustomer: {StatusInProgress, StatusResolved},
	StatusResolved:        {StatusClosed, StatusInProgress},
	StatusClosed:          nil,
}

// FieldStatus is the API field of a status.
const FieldStatus = "status"

// ParseStatus parses a status name; errors are on the field "status".
func ParseStatus(s string) (Status, error) {
	st := Status{strings.TrimSpace(s)}
	if st.s == "" {
		return Status{}, errs.Invalid(FieldStatus, br.CodeRequired, "status is required")
	}
	if _, ok := transitions[st]; !ok {
		return Status{}, errs.Invalid(FieldStatus, br.CodeUnknownValue,
			"status must be one of open, in_progress, waiting_customer, resolved, closed")
	}
	return st, nil
}

// String returns the stable name.
func (s Status) String() string { return s.s }

// CanChangeTo reports whether moving from s to to is legal.
func (s Status) CanChangeTo(to Status) bool {
	for _, n := range transitions[s] {
		if n == to {
			return true
		}
	}
	return false
}

// TransitionError is a refused status change; it wraps
// errs.ErrIllegalTransition.
type TransitionError struct{ From, To Status }

func (e *TransitionError) Error() string {
	return fmt.Sprintf("a ticket cannot go from %s to %s", e.From, e.To)
}

// Unwrap implements errors.Unwrap.
func (e *TransitionError) Unwrap() error { return errs.ErrIllegalTransition }
