package seed

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/infrastructure/projection"
)

// Staging tables: a loaded workshop is new, so its rows in every read model
// start from nothing. Load applies the projections' own statements to
// temporary copies of their tables (same columns, defaults, checks and
// primary key; no other index, no row-level security, no WAL), which
// shadow the real ones for the transaction (Postgres looks table names up
// in the session's temporary schema first), then moves the final rows to
// the real tables with one INSERT … SELECT per table.
//
// Why: each order is applied as one INSERT and three UPDATEs; on the real
// table every UPDATE writes a new row version into five indexes, and for a
// workshop the statistics have never seen (every loaded one) the planner
// estimates ~0 rows for its tenant id and may pick any index that starts
// with tenant_id (measured: the status index, i.e. every order of the
// workshop per status change, 13.6 ms each). In the staging table the
// primary key is the only index, and sequential scans are off while the
// projections run on it, so every lookup takes the primary key even with
// plans cached while the table was empty. The other unique constraints
// are checked when the rows reach the real tables: a row that a rebuild
// would have skipped by ON CONFLICT DO NOTHING on one of them fails the
// load instead (loaded data never has one; the test against a rebuild
// compares the results).

// stagedTable is one read-model table and the statements that stage it.
type stagedTable struct {
	name    string
	create  []string // temporary table and its primary key
	columns string   // the columns a flush copies (generated ones excluded)
}

var (
	stageMu    sync.Mutex
	stageCache = map[string][]stagedTable{} // by projection name
)

var resetTable = regexp.MustCompile(`^\s*DELETE FROM ([a-z_][a-z0-9_]*)\s*$`)

// stageTables returns the tables p writes, in the order its Reset empties
// them (children first), read from the catalogue once per projection; ok
// is false when p's Reset is not a plain list of DELETEs (then the load
// applies p to the real tables).
func stageTables(ctx context.Context, tx pgx.Tx, p projection.Projection) ([]stagedTable, bool, error) {
	stageMu.Lock()
	defer stageMu.Unlock()
	if ts, ok := stageCache[p.Name()]; ok {
		return ts, ts != nil, nil
	}
	b := &pgx.Batch{}
	p.Reset(b)
	var names []string
	for _, q := range b.QueuedQueries {
		m := resetTable.FindStringSubmatch(q.SQL)
		if m == nil || len(q.Arguments) > 0 {
			stageCache[p.Name()] = nil
			return nil, false, nil
		}
		names = append(names, m[1])
	}
	var out []stagedTable
	for _, name := range names {
		t := stagedTable{name: name, create: []string{`CREATE TEMPORARY TABLE ` + name + ` (LIKE public.` + name +
			` INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED) ON COMMIT DROP`}}
		rows, err := tx.Query(ctx, `SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
			WHERE i.indrelid = ('public.' || $1)::regclass AND i.indisprimary`, name)
		if err != nil {
			return nil, false, err
		}
		defs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, false, err
		}
		if len(defs) != 1 {
			stageCache[p.Name()] = nil // no primary key: apply to the real table
			return nil, false, nil
		}
		for _, def := range defs {
			at := strings.Index(def, " USING ")
			if at < 0 {
				return nil, false, fmt.Errorf("seed: unexpected index definition %q", def)
			}
			t.create = append(t.create, `CREATE UNIQUE INDEX ON pg_temp.`+name+def[at:])
		}
		rows, err = tx.Query(ctx, `SELECT quote_ident(attname) FROM pg_attribute
			WHERE attrelid = ('public.' || $1)::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
			ORDER BY attnum`, name)
		if err != nil {
			return nil, false, err
		}
		cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, false, err
		}
		t.columns = strings.Join(cols, ", ")
		out = append(out, t)
	}
	stageCache[p.Name()] = out
	return out, true, nil
}

// stage creates the temporary copies of tables in tx.
func stage(ctx context.Context, tx pgx.Tx, tables []stagedTable) error {
	b := &pgx.Batch{}
	for _, t := range tables {
		for _, sql := range t.create {
			b.Queue(sql)
		}
	}
	return tx.SendBatch(ctx, b).Close()
}

// flush moves the staged rows to the real tables, parents first, and drops
// the copies (so later statements of tx see the real tables again).
func flush(ctx context.Context, tx pgx.Tx, tables []stagedTable) error {
	b := &pgx.Batch{}
	b.Queue(`SET LOCAL enable_seqscan = on`) // read each staged table whole
	for i := len(tables) - 1; i >= 0; i-- {
		t := tables[i]
		b.Queue(`INSERT INTO public.` + t.name + ` (` + t.columns + `) SELECT ` + t.columns + ` FROM pg_temp.` + t.name)
	}
	for _, t := range tables {
		b.Queue(`DROP TABLE pg_temp.` + t.name)
	}
	return tx.SendBatch(ctx, b).Close()
}
