package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

// A webhook's delivery is reused briefly: a change made outside this store
// (another process) shows within DeliveryCacheTTL, a change made through it
// shows at once, and callers cannot change each other's copies.
func TestHookDeliveryCache(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		st := testdb.Open(t, dialect)
		ctx := context.Background()
		tn := newTenant(t, st, "acme")
		ts := st.Tenant(tn.ID)
		flow := &store.Flow{Name: "orders"}
		if _, err := ts.CreateFlow(ctx, flow, store.JSON(`{"nodes":[],"edges":[]}`), "test"); err != nil {
			t.Fatal(err)
		}
		hook := &store.Hook{NodeID: "hook", AuthMode: "none"}
		if err := ts.PublishFlow(ctx, flow.ID, 1, store.Triggers{Hook: hook}); err != nil {
			t.Fatal(err)
		}
		published := func() int {
			t.Helper()
			d, err := st.HookDelivery(ctx, hook.ID)
			if err != nil || d.Flow.PublishedVersion == nil {
				t.Fatalf("HookDelivery: %+v, %v", d, err)
			}
			return *d.Flow.PublishedVersion
		}
		read := time.Now()
		if v := published(); v != 1 {
			t.Fatalf("published version %d, want 1", v)
		}

		// Another process publishes version 2 (a write this store does not see).
		if _, err := st.SQL().ExecContext(ctx, "UPDATE flows SET published_version = 2 WHERE id = "+placeholder(dialect), flow.ID); err != nil {
			t.Fatal(err)
		}
		if v := published(); v != 1 && time.Since(read) < store.DeliveryCacheTTL {
			t.Errorf("published version %d within %s of the last read; want the cached 1", v, store.DeliveryCacheTTL)
		}
		deadline := time.Now().Add(store.DeliveryCacheTTL + 5*time.Second)
		for published() != 2 {
			if time.Now().After(deadline) {
				t.Fatalf("another process's publish not seen within %s", store.DeliveryCacheTTL+5*time.Second)
			}
			time.Sleep(20 * time.Millisecond)
		}

		// Through this store: seen by the very next delivery.
		d, err := st.HookDelivery(ctx, hook.ID)
		if err != nil {
			t.Fatal(err)
		}
		d.Tenant.Status = "scribbled" // a caller's copy is its own
		suspended := store.TenantSuspended
		if _, err := st.UpdateTenant(ctx, tn.ID, store.TenantUpdate{Status: &suspended}); err != nil {
			t.Fatal(err)
		}
		if d, err := st.HookDelivery(ctx, hook.ID); err != nil || d.Tenant.Status != store.TenantSuspended {
			t.Fatalf("after suspending through the store: %+v, %v; want the tenant suspended at once", d.Tenant, err)
		}
		if err := ts.PublishFlow(ctx, flow.ID, 1, store.Triggers{}); err != nil { // unpublishing the hook
			t.Fatal(err)
		}
		if _, err := st.HookDelivery(ctx, hook.ID); err != store.ErrNotFound {
			t.Fatalf("a removed hook: %v, want ErrNotFound at once", err)
		}
	})
}

func placeholder(dialect string) string {
	if dialect == "postgres" {
		return "$1"
	}
	return "?"
}
