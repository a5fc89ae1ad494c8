package store_test

import (
	"context"
	"strings"
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
		if v := published(); v != 1 && time.Since(read) < store.ConfigCacheTTL {
			t.Errorf("published version %d within %s of the last read; want the cached 1", v, store.ConfigCacheTTL)
		}
		deadline := time.Now().Add(store.ConfigCacheTTL + 5*time.Second)
		for published() != 2 {
			if time.Now().After(deadline) {
				t.Fatalf("another process's publish not seen within %s", store.ConfigCacheTTL+5*time.Second)
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

// A run's connection lookups share the configuration cache: an update
// through the store is seen at once, another process's within the TTL, and
// no tenant reads another's entry.
func TestCachedConnection(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		st := testdb.Open(t, dialect)
		ctx := context.Background()
		a, b := newTenant(t, st, "alpha"), newTenant(t, st, "beta")
		ta := st.Tenant(a.ID)
		c := &store.Connection{ID: store.NewID(), Name: "ERP", Type: "epicor", Config: store.JSON(`{"v":1}`)}
		if err := ta.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
		config := func() string {
			t.Helper()
			got, err := ta.CachedConnection(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return strings.ReplaceAll(string(got.Config), " ", "")
		}
		read := time.Now()
		if got := config(); got != `{"v":1}` {
			t.Fatalf("config %s", got)
		}
		if _, err := st.Tenant(b.ID).CachedConnection(ctx, c.ID); err != store.ErrNotFound {
			t.Fatalf("another tenant's lookup: %v, want ErrNotFound", err)
		}
		if _, err := st.SQL().ExecContext(ctx, `UPDATE connections SET config = '{"v":2}' WHERE id = `+placeholder(dialect), c.ID); err != nil {
			t.Fatal(err)
		}
		if got := config(); got != `{"v":1}` && time.Since(read) < store.ConfigCacheTTL {
			t.Errorf("config %s within %s of the last read; want the cached one", got, store.ConfigCacheTTL)
		}
		deadline := time.Now().Add(store.ConfigCacheTTL + 5*time.Second)
		for config() != `{"v":2}` {
			if time.Now().After(deadline) {
				t.Fatal("another process's change not seen")
			}
			time.Sleep(20 * time.Millisecond)
		}
		c.Config = store.JSON(`{"v":3}`)
		if err := ta.UpdateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
		if got := config(); got != `{"v":3}` {
			t.Errorf("after an update through the store: %s, want it at once", got)
		}
	})
}
