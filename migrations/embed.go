// Package migrations holds Bridgework's numbered SQL schema migrations, one
// folder per database dialect, embedded into the binary.
//
// Files are named NNNN_description.sql and applied in order, each once, inside
// a transaction. A migration is never edited after it is released: add a new
// file instead.
package migrations

import "embed"

// FS contains postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
