package clickhouse

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
)

// The projector's reads of the topic and of the event store follow their
// (transaction id, position) indexes. Ordering by the select list's text
// column "transaction_id" instead sorted whole tables per page, in text
// order, where transaction 100000 comes before 99999 (pages then skipped
// messages, and the rebuild's checkpoint could point at the wrong one).
func TestProjectorReads_FollowTheGlobalOrderIndexes(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	for _, q := range []struct {
		name, sql string
		args      []any
	}{
		{"topic page", readTopicSQL, []any{"0", int64(0), []string{"a.v1"}, 100}},
		{"rebuild page", readEventsSQL, []any{"0", int64(0), "1000", []string{"a.v1"}, 100}},
		{"rebuild start", `SELECT transaction_id::text, "offset" FROM "watermill_events"
 WHERE transaction_id < $1::text::xid8 ORDER BY "watermill_events".transaction_id DESC, "watermill_events"."offset" DESC LIMIT 1`, []any{"1000"}},
	} {
		err := pgx.BeginFunc(ctx, db.Admin, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off`); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, "EXPLAIN "+q.sql, q.args...)
			if err != nil {
				return err
			}
			plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			if text := strings.Join(plan, "\n"); strings.Contains(text, "Sort") {
				t.Errorf("%s sorts instead of following an index:\n%s", q.name, text)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
