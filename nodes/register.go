// Package nodes holds Bridgework's built-in node types, one file each: its
// spec, its registration, its constructor (which compiles the config once)
// and its Run.
//
// To add a node type: write <type>.go with the spec (config schema,
// ports, variables, examples), a register function that compiles the config
// through engine.Build, and Run; call the register function from Register;
// test it in <type>_test.go; then regenerate the docs with
// go test ./engine -run TestDocsAreCurrent -update.
package nodes

import (
	"net/http"

	"github.com/bridgework/bridgework/engine"
)

// Deps are the outside services node types use.
type Deps struct {
	// HTTPClient makes the http node's requests. The caller is expected to
	// guard outbound addresses (its transport decides what may be dialled).
	// Without it, http nodes do not compile.
	HTTPClient *http.Client
	// MaxResponseBytes caps the HTTP response bodies the http node reads
	// (default 10 MiB).
	MaxResponseBytes int64
	// Approvals keeps approval requests; without it approval nodes do not
	// compile.
	Approvals Approvals
	// Batches keeps the items batch nodes collect; without it batch nodes
	// do not compile.
	Batches Batches
}

// Register adds every built-in node type to r.
func Register(r *engine.Registry, deps Deps) {
	registerWebhook(r)
	registerSchedule(r)
	registerEvent(r)
	registerMap(r)
	registerCondition(r)
	registerSwitch(r)
	registerForeach(r)
	registerConnector(r)
	registerHTTP(r, deps)
	registerDelay(r)
	registerFail(r)
	registerApproval(r, deps.Approvals)
	registerBatch(r, deps.Batches)
}

// Categories of the built-in node types, for the editor's palette.
const (
	CategoryTrigger   = "trigger"
	CategoryTransform = "transform"
	CategoryFlow      = "flow control"
	CategoryAction    = "action"
)
