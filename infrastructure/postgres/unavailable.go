package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/torquehq/torque/domain/errs"
)

// Unavailable returns err marked as errs.ErrUnavailable when it says that
// Postgres cannot be reached or is restarting (the request can be retried
// unchanged), and err itself otherwise. Adapters pass every database error
// through it at their boundary, so that an outage is answered 503, never as
// "not found" or an internal error.
func Unavailable(err error) error {
	if err == nil || errors.Is(err, errs.ErrUnavailable) || !IsUnavailable(err) {
		return err
	}
	return fmt.Errorf("postgres: %w: %w", errs.ErrUnavailable, err)
}

// IsUnavailable reports whether err is a failure to reach Postgres: a failed
// connect, a connection cut or timed out mid-statement, a pool acquire that
// ran out of time, or a server error of the connection-exception (08),
// operator-intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03
// cannot connect now) or too-many-connections (53300) kinds. A cancelled
// request is not an outage.
func IsUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P") || pe.Code == "53300"
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) {
		return true
	}
	// pgconn reports a connection that died under it as "conn closed".
	return strings.Contains(err.Error(), "conn closed")
}

// IsTransient reports whether err is a failure that a later attempt of the
// same work may not meet: an outage (IsUnavailable), a serialization failure
// or deadlock (class 40), a lock not available (55P03) or a cancelled
// statement (57014).
func IsTransient(err error) bool {
	if IsUnavailable(err) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "40") || pe.Code == "55P03" || pe.Code == "57014"
	}
	return false
}
