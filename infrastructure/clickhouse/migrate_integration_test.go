package clickhouse_test

import (
	"context"
	"testing"

	"github.com/torquehq/torque/infrastructure/clickhouse"
	"github.com/torquehq/torque/infrastructure/clickhouse/chtest"
	chmigrations "github.com/torquehq/torque/migrations/clickhouse"
)

func TestMigrate_RecordsVersionsAndRunsOnceIntegration(t *testing.T) {
	cfg := chtest.New(t) // applied once here
	again, err := clickhouse.Migrate(context.Background(), cfg, chmigrations.FS)
	if err != nil || len(again) != 0 {
		t.Fatalf("second run applied %v (%v), want nothing", again, err)
	}
	conn, err := clickhouse.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	var n uint64
	if err := conn.QueryRow(context.Background(), "SELECT count() FROM torque_migrations WHERE version = 1").Scan(&n); err != nil || n != 1 {
		t.Fatalf("version table: %d rows for 0001 (%v)", n, err)
	}
	if err := conn.QueryRow(context.Background(), "SELECT count() FROM service_items FINAL").Scan(&n); err != nil {
		t.Fatalf("fact table: %v", err)
	}
}
