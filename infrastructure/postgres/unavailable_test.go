package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/infrastructure/postgres"
)

// Issue 15 item 7: a database that cannot be reached is errs.ErrUnavailable
// (503), while ordinary statement errors keep their meaning.
func TestUnavailable_connectFailure(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// Port 9 (discard) on loopback: nothing listens, the connect is refused.
	_, err := pgx.Connect(ctx, "postgres://nobody:x@127.0.0.1:9/none?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Skip("something listens on 127.0.0.1:9")
	}
	if got := postgres.Unavailable(err); !errors.Is(got, errs.ErrUnavailable) {
		t.Fatalf("connect refused: %v is not ErrUnavailable", got)
	}
}

func TestUnavailable_kinds(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "57P01"}, true},
		{&pgconn.PgError{Code: "57P03"}, true},
		{&pgconn.PgError{Code: "08006"}, true},
		{&pgconn.PgError{Code: "53300"}, true},
		{fmt.Errorf("acquire: %w", context.DeadlineExceeded), true},
		{&pgconn.PgError{Code: "23505"}, false},
		{&pgconn.PgError{Code: "42501"}, false},
		{pgx.ErrNoRows, false},
		{context.Canceled, false},
		{nil, false},
	} {
		if got := errors.Is(postgres.Unavailable(c.err), errs.ErrUnavailable); got != c.want {
			t.Errorf("Unavailable(%v) unavailable = %v, want %v", c.err, got, c.want)
		}
	}
}
