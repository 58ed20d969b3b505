// Package migrations embeds the SQL schema so the binary can apply it with
// `torque migrate`. Files are applied in lexical order, each once.
package migrations

import "embed"

// Postgres holds the Postgres migrations; {{app_role}} is replaced by the
// runtime role that the migrations grant rights to.
//
//go:embed postgres/*.sql
var Postgres embed.FS
