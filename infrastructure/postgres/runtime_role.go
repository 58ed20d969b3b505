package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Querier is what CheckRuntimeRole needs: a pool, a connection or a
// transaction.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// ErrPrivilegedRuntimeRole: the runtime connection would not be confined by
// row-level security.
var ErrPrivilegedRuntimeRole = errors.New("the runtime database role escapes row-level security")

// runtimeRoleSQL reads the current role's attributes and the first table of
// the current schema it owns, directly or through a role it is a member of
// (a member can SET ROLE to the owner, and owners escape row-level security
// unless it is forced, and can grant themselves anything).
const runtimeRoleSQL = `
SELECT r.rolsuper, r.rolbypassrls,
       (SELECT c.relname::text FROM pg_class c
         WHERE c.relnamespace = current_schema()::regnamespace
           AND c.relkind IN ('r', 'p')
           AND pg_has_role(current_user, c.relowner, 'MEMBER')
         ORDER BY c.relname = 'events' DESC, c.relname LIMIT 1)
  FROM pg_roles r WHERE r.rolname = current_user`

// CheckRuntimeRole fails with ErrPrivilegedRuntimeRole, naming the problem,
// when the role q connects as is a superuser, has BYPASSRLS, or owns a table
// of the schema: every tenant's rows would then be one missing WHERE away.
// The server refuses to start on such a role.
func CheckRuntimeRole(ctx context.Context, q Querier) error {
	var super, bypass bool
	var owned *string
	if err := q.QueryRow(ctx, runtimeRoleSQL).Scan(&super, &bypass, &owned); err != nil {
		return fmt.Errorf("postgres: check the runtime role: %w", err)
	}
	var problems []string
	if super {
		problems = append(problems, "it is a superuser")
	}
	if bypass {
		problems = append(problems, "it has BYPASSRLS")
	}
	if owned != nil {
		problems = append(problems, fmt.Sprintf("it owns table %q", *owned))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s; connect as the runtime role (e.g. torque_app), the owner and BYPASSRLS role is for `torque migrate` and maintenance only",
		ErrPrivilegedRuntimeRole, joinAnd(problems))
}

func joinAnd(s []string) string {
	out := s[0]
	for i := 1; i < len(s); i++ {
		if i == len(s)-1 {
			out += " and " + s[i]
		} else {
			out += ", " + s[i]
		}
	}
	return out
}
