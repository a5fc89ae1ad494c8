package outbound_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/netguard"
	"github.com/bridgework/bridgework/internal/outbound"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newTenant(t *testing.T, st *store.Store, slug string) string {
	t.Helper()
	tn := &store.Tenant{Slug: slug, Name: slug}
	if err := st.CreateTenant(context.Background(), tn,
		&store.User{Email: "admin@" + slug + ".test", PasswordHash: "x", Role: "admin"},
		&store.APIKey{Name: "first", Prefix: slug, KeyHash: "hash-" + slug, Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	return tn.ID
}

func setList(t *testing.T, st *store.Store, id string, list ...string) {
	t.Helper()
	if _, err := st.UpdateTenant(context.Background(), id, store.TenantUpdate{OutboundAllow: &list}); err != nil {
		t.Fatal(err)
	}
}

// A process sees another process's change within the TTL, and its own at
// once after Forget.
func TestListsAreCachedForTheTTL(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		st := testdb.Open(t, dialect)
		ctx := context.Background()
		acme := newTenant(t, st, "acme")
		setList(t, st, acme, "10.0.0.5")
		clk := &clock{now: time.Now()}
		lists := &outbound.Lists{Store: st, Now: clk.Now}
		get := func() string {
			t.Helper()
			l, err := lists.Allow(ctx, acme)
			if err != nil {
				t.Fatal(err)
			}
			return l.String()
		}
		if got := get(); got != "10.0.0.5/32" {
			t.Fatalf("list %q, want 10.0.0.5/32", got)
		}
		setList(t, st, acme, "10.0.0.6") // changed by another process
		if got := get(); got != "10.0.0.5/32" {
			t.Errorf("within the TTL: %q, want the cached list", got)
		}
		clk.add(outbound.TTL)
		if got := get(); got != "10.0.0.6/32" {
			t.Errorf("after the TTL: %q, want the new list", got)
		}
		setList(t, st, acme, "erp.internal") // changed by this process
		lists.Forget(acme)
		if got := get(); got != "erp.internal" {
			t.Errorf("after Forget: %q, want the new list", got)
		}
		if l, err := lists.Allow(ctx, "deleted-tenant"); err != nil || !l.Empty() {
			t.Errorf("unknown tenant: %q, %v; want an empty list", l, err)
		}
	})
}

func TestValidate(t *testing.T) {
	got, err := outbound.Validate([]string{" 10.0.0.0/8 ", "erp.internal", "::1"})
	if err != nil || strings.Join(got, ",") != "10.0.0.0/8,erp.internal,::1" {
		t.Errorf("valid list: %v, %v", got, err)
	}
	if got, err := outbound.Validate(nil); err != nil || len(got) != 0 {
		t.Errorf("no list: %v, %v", got, err)
	}
	tests := []struct {
		list   []string
		index  int
		reason string
	}{
		{[]string{"10.0.0.0/8", " "}, 1, "is empty"},
		{[]string{"127.0.0.1", "erp.internal", "10.0.0.0/33"}, 2, "not a valid CIDR"},
		{[]string{"http://erp.internal"}, 0, "is a URL"},
	}
	for _, tc := range tests {
		_, err := outbound.Validate(tc.list)
		var ee *netguard.EntryError
		if !errors.As(err, &ee) || ee.Index != tc.index || !strings.Contains(ee.Reason, tc.reason) {
			t.Errorf("%q: %v; want entry %d %s", tc.list, err, tc.index, tc.reason)
		}
	}
	if _, err := outbound.Validate(make([]string, outbound.MaxEntries+1)); err == nil || !strings.Contains(err.Error(), "at most 100") {
		t.Errorf("too many entries: %v", err)
	}
}
