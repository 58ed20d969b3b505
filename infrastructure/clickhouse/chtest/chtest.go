// Package chtest gives integration tests a migrated ClickHouse database of
// their own (torque_test_<random>) on the local stack's server, dropped when
// the test ends. Skipped under -short; fails (never skips) when ClickHouse is
// unreachable.
package chtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/torquehq/torque/infrastructure/clickhouse"
	chmigrations "github.com/torquehq/torque/migrations/clickhouse"
)

// Addr is the native address of the test server.
func Addr() string {
	if v := os.Getenv("TORQUE_CLICKHOUSE_ADDR"); v != "" && v != "off" {
		return v
	}
	return "127.0.0.1:19000"
}

// New creates and migrates a database and returns its settings.
func New(tb testing.TB) clickhouse.Config {
	tb.Helper()
	if testing.Short() {
		tb.Skip("integration test: needs ClickHouse (run without -short)")
	}
	var buf [6]byte
	_, _ = rand.Read(buf[:])
	cfg := clickhouse.Config{Addr: Addr(), Database: "torque_test_" + hex.EncodeToString(buf[:])}
	// Dropped even when the migration below fails half-way.
	tb.Cleanup(func() {
		boot := cfg
		boot.Database = "default"
		c, err := clickhouse.Open(boot)
		if err != nil {
			tb.Errorf("chtest: drop %s: %v", cfg.Database, err)
			return
		}
		defer func() { _ = c.Close() }()
		if err := c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+cfg.Database); err != nil {
			tb.Errorf("chtest: drop %s: %v", cfg.Database, err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := clickhouse.Migrate(ctx, cfg, chmigrations.FS); err != nil {
		tb.Fatalf("chtest: ClickHouse at %s (run `make stack`): %v", cfg.Addr, err)
	}
	return cfg
}
