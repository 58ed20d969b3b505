package projection

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
)

// The rebuild reads pages in global order through the events_global_order
// index. Ordering by the select list's text column instead sorted the whole
// table for every page (a 6 M-event rebuild never finished) and in text
// order, which puts transaction 100000 before 99999: the keyset of the next
// page then skipped events.
func TestRebuildPageRead_FollowsTheGlobalOrderIndex(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, db.Admin, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "EXPLAIN "+readPageSQL, "0", int64(0), []string{"a.v1"}, 100)
		if err != nil {
			return err
		}
		plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, "events_global_order") || strings.Contains(text, "Sort") {
			t.Errorf("page read plan:\n%s", text)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
