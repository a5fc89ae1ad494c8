package builtin

import (
	"testing"
)

func TestRegistryBuilds(t *testing.T) {
	t.Parallel()
	r := Registry()
	if got := r.Systems(); len(got) != 3 || got[0] != "epicor" || got[1] != "heartland" || got[2] != "http" {
		t.Fatalf("Systems() = %v", got)
	}
	for _, sys := range r.Systems() {
		for _, op := range r.Operations(sys) {
			if op.Description == "" || op.System != sys {
				t.Errorf("%s.%s: missing description or system", sys, op.Name)
			}
			if op.Writes && op.Lookup == "" && op.IdempotencyKey != "" {
				t.Errorf("%s.%s: has an idempotency key but no lookup", sys, op.Name)
			}
		}
	}
}
