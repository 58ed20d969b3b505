// Package clickhouse is the analytics store: the fact tables in ClickHouse
// (migrations/clickhouse), the projection that fills them from the event
// topic in batches, and the report queries. It speaks the native protocol
// only (the local stack's ClickHouse 18.16 rejects clickhouse-go's HTTP).
package clickhouse

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Config names the ClickHouse server and database.
type Config struct {
	// Addr is host:port of the native protocol.
	Addr string
	// Database holds the fact tables (created by Migrate when missing).
	Database string
	Username string
	Password string
	// DialTimeout bounds connecting (default 2 s).
	DialTimeout time.Duration
	// ReadTimeout bounds the wait for each answer packet (default 60 s;
	// bulk INSERT … SELECT needs more).
	ReadTimeout time.Duration
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Validate checks the settings.
func (c Config) Validate() error {
	if c.Addr == "" {
		return errors.New("clickhouse: Addr is required")
	}
	if !identRE.MatchString(c.Database) {
		return fmt.Errorf("clickhouse: database name %q is not a plain identifier", c.Database)
	}
	return nil
}

// Open connects lazily: the connection is made on first use, so a process
// starts while ClickHouse is down and analytics catches up when it is back.
func Open(cfg Config) (driver.Conn, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.DialTimeout == 0 {
		cfg.DialTimeout = 2 * time.Second
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 60 * time.Second
	}
	user := cfg.Username
	if user == "" {
		user = "default"
	}
	return ch.Open(&ch.Options{
		Addr: []string{cfg.Addr}, Protocol: ch.Native,
		Auth:        ch.Auth{Database: cfg.Database, Username: user, Password: cfg.Password},
		DialTimeout: cfg.DialTimeout, MaxOpenConns: 8, MaxIdleConns: 4, ConnMaxLifetime: time.Hour,
		ReadTimeout: cfg.ReadTimeout,
	})
}

// Migrate creates the database if missing and applies the migrations of
// fsys (NNNN_name.sql, in name order) not yet recorded in its version table
// torque_migrations. It returns the names applied.
func Migrate(ctx context.Context, cfg Config, fsys fs.FS) ([]string, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	boot := cfg
	boot.Database = "default"
	c, err := Open(boot)
	if err != nil {
		return nil, err
	}
	if err := c.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+cfg.Database); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("clickhouse: create database: %w", err)
	}
	_ = c.Close()
	conn, err := Open(cfg)
	if err != nil {
		return nil, err
	}
	defer func() { _ = conn.Close() }()
	if err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS torque_migrations (
    version UInt32, name String, applied_at DateTime
) ENGINE = MergeTree() ORDER BY version`); err != nil {
		return nil, fmt.Errorf("clickhouse: version table: %w", err)
	}
	done := map[uint32]bool{}
	rows, err := conn.Query(ctx, "SELECT version FROM torque_migrations")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v uint32
		if err := rows.Scan(&v); err != nil {
			_ = rows.Close()
			return nil, err
		}
		done[v] = true
	}
	_ = rows.Close()
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var applied []string
	for _, name := range names {
		var v uint32
		if _, err := fmt.Sscanf(name, "%04d_", &v); err != nil || v == 0 {
			return applied, fmt.Errorf("clickhouse migration %s: name must start with NNNN_", name)
		}
		if done[v] {
			continue
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return applied, err
		}
		for i, stmt := range SplitStatements(string(body)) {
			if err := conn.Exec(ctx, stmt); err != nil {
				return applied, fmt.Errorf("clickhouse migration %s, statement %d: %w", name, i+1, err)
			}
		}
		if err := insertRow(ctx, conn, "INSERT INTO torque_migrations (version, name, applied_at)",
			v, name, time.Now().UTC()); err != nil {
			return applied, err
		}
		applied = append(applied, name)
	}
	return applied, nil
}

// SplitStatements splits a migration into statements at ";" ending a line,
// dropping "--" comment lines (the native protocol runs one statement per
// query).
func SplitStatements(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "--") || t == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.HasSuffix(t, ";") {
			s := strings.TrimSuffix(strings.TrimSpace(cur.String()), ";")
			out = append(out, s)
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// factTables are the tables a rebuild empties.
var factTables = []string{"service_items", "orders", "order_status_changes", "order_mechanics", "vehicles", "customers",
	"feedback", "reminders", "appointments", "messages", "analytics_checkpoint"}
