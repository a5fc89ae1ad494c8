package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

// BenchmarkStateFlush measures recording a run's steps: two without side
// effects and one with, then the checkpoint before a next side effect, which
// writes all three in one batch.
func BenchmarkStateFlush(b *testing.B) {
	for _, dialect := range testdb.Dialects {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			st := testdb.Open(b, dialect)
			def, _ := json.Marshal(map[string]any{"nodes": []map[string]any{{"id": "in", "type": "trigger.manual"}}})
			ts, flow, v := tenantWithFlow(b, st, def)
			order := map[string]any{"PONum": "HL-100001", "OrderDtl": []map[string]any{{"PartNum": "SKU-1001", "SellingQuantity": 5, "DocUnitPrice": 19.99}}}
			now := time.Now()
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				run := &store.Run{ID: store.NewID(), FlowID: flow.ID, FlowVersionID: v.ID, BusinessKey: fmt.Sprint(i), Payload: store.JSON(`{}`)}
				if err := ts.CreateRun(ctx, run); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				s := newState(ts, run.ID, false)
				for j, node := range []string{"order", "reshape", "write"} {
					rec := engine.StepRecord{StepKey: node, NodeID: node, NodeType: "map", Status: engine.StepSucceeded, Port: "out",
						Attempt: 1, Input: order, Output: order, StartedAt: now, FinishedAt: now, SideEffects: j == 2}
					if err := s.Record(ctx, rec); err != nil {
						b.Fatal(err)
					}
				}
				if err := s.Checkpoint(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
