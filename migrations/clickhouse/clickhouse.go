// Package clickhouse embeds the ClickHouse migrations (analytics fact
// tables), applied in name order by `torque migrate`.
package clickhouse

import "embed"

// FS holds NNNN_name.sql files; each holds statements separated by ";" at
// the end of a line. They must run on ClickHouse 18.16 (the local stack) and
// on current releases (docs/analytics.md).
//
//go:embed *.sql
var FS embed.FS
