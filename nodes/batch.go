package nodes

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bridgework/bridgework/engine"
)

// TypeBatch collects items across runs and runs its batch branch once per batch.
const TypeBatch = "batch"

// Ports of the batch node.
const (
	// PortBatch leads to the branch that runs once per batch, on
	// {"items": [...], "count": n}.
	PortBatch = "batch"
	// PortCollected continues the run that delivered an item, after the
	// item is stored.
	PortCollected = "collected"
)

// Defaults of the batch node.
const (
	DefaultBatchSize = 100
	DefaultBatchWait = time.Minute
	MaxBatchSize     = 10000
)

var batchSpec = engine.NodeSpec{
	Type:     TypeBatch,
	Title:    "Batch",
	Category: CategoryFlow,
	Description: "Collects one item per run and runs the branch behind the batch port once for many items: when size items are waiting, or wait has passed since the oldest arrived, whichever comes first. " +
		"Items are stored before the delivering run goes on (through the collected port), so a crash loses none. The batch branch runs in a run of its own whose input is {items, count}; " +
		"nodes upstream of the batch node do not run again in it. Place batch nodes at the top level of a flow, not inside a foreach.",
	Config: object("", nil, map[string]*engine.Schema{
		"size": {Type: "integer", Minimum: ptr(1.0), Maximum: ptr(float64(MaxBatchSize)), Description: "Run the batch branch once this many items wait (default 100)."},
		"wait": {Type: "string", Format: engine.FormatDuration, Description: "Run it at the latest this long after the oldest waiting item arrived (default 1m)."},
		"item": jqField("jq program building the item to collect (default: the input)."),
	}),
	Ports:     []string{PortBatch, PortCollected},
	Variables: engine.JQVariables,
	Examples: []engine.Example{
		example("Stock changes, 500 at a time or every 30 seconds", map[string]any{"size": 500, "wait": "30s", "item": "{item_id, qty}"}),
	},
}

// Batches keeps the items batch nodes collect; internal/batch implements it.
type Batches interface {
	// Add stores an item once per run step (a re-executed step adds
	// nothing) and returns how many items of the batch now wait.
	Add(ctx context.Context, tenantID string, item BatchItem) (int, error)
}

// BatchItem is one collected item with the batch's settings.
type BatchItem struct {
	RunID, StepKey, NodeID string
	Item                   any
	Size                   int
	Wait                   time.Duration
	Now                    time.Time
}

// Batch is a compiled batch node.
type Batch struct {
	batches  Batches
	tenantID string
	size     int
	wait     time.Duration
	item     *engine.JQ
}

func registerBatch(r *engine.Registry, batches Batches) {
	r.Register(batchSpec, func(b *engine.Build) (engine.Node, error) {
		var c struct {
			Size int             `json:"size"`
			Wait engine.Duration `json:"wait"`
			Item string          `json:"item"`
		}
		if err := b.Decode(&c); err != nil {
			return nil, err
		}
		n := &Batch{batches: batches, tenantID: b.TenantID(), size: c.Size, wait: time.Duration(c.Wait), item: b.JQ("config.item", c.Item)}
		if n.size == 0 {
			n.size = DefaultBatchSize
		}
		if n.wait <= 0 {
			n.wait = DefaultBatchWait
		}
		if batches == nil {
			b.Errorf("type", "batches are not available in this deployment")
		}
		return n, nil
	})
}

// Run stores the item and continues through the collected port; the batch
// port is only taken in batch runs, where the step is given, not executed.
func (n *Batch) Run(ctx context.Context, in *engine.Input) (engine.Outcome, error) {
	item := in.Value
	if n.item != nil {
		var err error
		if item, err = n.item.One(ctx, in.Value, in); err != nil {
			return engine.Outcome{}, fmt.Errorf("item: %w", err)
		}
	}
	waiting, err := n.batches.Add(ctx, n.tenantID, BatchItem{RunID: in.RunID, StepKey: in.StepKey, NodeID: in.NodeID,
		Item: item, Size: n.size, Wait: n.wait, Now: in.Now})
	if err != nil && !errors.Is(err, ErrNoRun) {
		return engine.Outcome{}, fmt.Errorf("collect item: %w", err)
	}
	return engine.Outcome{Port: PortCollected, Output: map[string]any{"collected": err == nil, "waiting": waiting}}, nil
}
