package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

func TestTenantOutboundAllowRoundTrips(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		st := testdb.Open(t, dialect)
		ctx := context.Background()
		tn := newTenant(t, st, "acme")
		if got, err := st.TenantOutboundAllow(ctx, tn.ID); err != nil || got == nil || len(got) != 0 {
			t.Fatalf("new tenant's list: %#v, %v; want an empty list", got, err)
		}
		list := []string{"10.0.0.0/8", "erp.internal", "::1"}
		updated, err := st.UpdateTenant(ctx, tn.ID, store.TenantUpdate{OutboundAllow: &list})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(updated.OutboundAllow, list) {
			t.Errorf("updated tenant's list: %v, want %v", updated.OutboundAllow, list)
		}
		if got, _ := st.TenantOutboundAllow(ctx, tn.ID); !slices.Equal(got, list) {
			t.Errorf("stored list: %v, want %v", got, list)
		}
		name := "Acme Retail"
		if _, err := st.UpdateTenant(ctx, tn.ID, store.TenantUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.TenantOutboundAllow(ctx, tn.ID); !slices.Equal(got, list) {
			t.Errorf("a name change touched the list: %v", got)
		}
		empty := []string{}
		if _, err := st.UpdateTenant(ctx, tn.ID, store.TenantUpdate{OutboundAllow: &empty}); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.TenantOutboundAllow(ctx, tn.ID); len(got) != 0 {
			t.Errorf("cleared list: %v", got)
		}
		if _, err := st.TenantOutboundAllow(ctx, "no-such-tenant"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown tenant: %v, want ErrNotFound", err)
		}
	})
}
