package booking

import (
	"fmt"
	"strings"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// Status is where an appointment is:
//
//	booked → confirmed → arrived
//
// with arrived also straight from booked, and no_show or cancelled from
// booked or confirmed. arrived, no_show and cancelled are final.
type Status struct{ s string }

// Statuses of an appointment.
var (
	StatusBooked    = Status{"booked"}
	StatusConfirmed = Status{"confirmed"}
	StatusArrived   = Status{"arrived"}
	StatusNoShow    = Status{"no_show"}
	StatusCancelled = Status{"cancelled"}
)

var transitions = map[Status][]Status{
	StatusBooked:    {StatusConfirmed, StatusArrived, StatusNoShow, StatusCancelled},
	StatusConfirmed: {StatusArrived, StatusNoShow, StatusCancelled},
	StatusArrived:   nil,
	StatusNoShow:    nil,
	StatusCancelled: nil,
}

// ParseStatus parses a status a client may set: confirmed, arrived,
// no_show or cancelled (booked is only where appointments start).
func ParseStatus(s string) (Status, error) {
	st := Status{strings.TrimSpace(s)}
	switch st {
	case Status{}:
		return Status{}, errs.Invalid(FieldStatus, br.CodeRequired, "status is required")
	case StatusConfirmed, StatusArrived, StatusNoShow, StatusCancelled:
		return st, nil
	}
	return Status{}, errs.Invalid(FieldStatus, br.CodeUnknownValue, "status must be confirmed, arrived, no_show or cancelled")
}

// String returns the stable name.
func (s Status) String() string { return s.s }

// HoldsBay reports whether the appointment still occupies its slot.
func (s Status) HoldsBay() bool {
	return s == StatusBooked || s == StatusConfirmed || s == StatusArrived
}

// IsOpen reports whether the appointment is still ahead (booked or confirmed).
func (s Status) IsOpen() bool { return s == StatusBooked || s == StatusConfirmed }

// CheckChange returns a *TransitionError unless s may become to.
func (s Status) CheckChange(to Status) error {
	for _, n := range transitions[s] {
		if n == to {
			return nil
		}
	}
	return &TransitionError{From: s, To: to}
}

// TransitionError is a refused status change; it wraps
// errs.ErrIllegalTransition.
type TransitionError struct{ From, To Status }

// Error names both statuses.
func (e *TransitionError) Error() string {
	return fmt.Sprintf("appointment cannot go from %s to %s: %v", e.From, e.To, errs.ErrIllegalTransition)
}

// Unwrap returns errs.ErrIllegalTransition.
func (e *TransitionError) Unwrap() error { return errs.ErrIllegalTransition }
