package runner

import (
	"testing"

	"github.com/bridgework/bridgework/store"
)

func TestVersionCacheKeysByTenantFlowAndNumber(t *testing.T) {
	t.Parallel()
	var c versionCache
	k := versionKey{tenantID: "t1", flowID: "f1", version: 2}
	if _, ok := c.get(k); ok {
		t.Fatal("an empty cache found a version")
	}
	c.put(k, &store.FlowVersion{ID: "v2", FlowID: "f1", Version: 2})
	got, ok := c.get(k)
	if !ok || got.ID != "v2" {
		t.Fatalf("get %+v %v, want version v2", got, ok)
	}
	got.ID = "changed"
	if again, _ := c.get(k); again.ID != "v2" {
		t.Errorf("a caller's change reached the cache: %q", again.ID)
	}
	for _, other := range []versionKey{{"t2", "f1", 2}, {"t1", "f2", 2}, {"t1", "f1", 3}} {
		if _, ok := c.get(other); ok {
			t.Errorf("%+v found the version of %+v", other, k)
		}
	}
	for i := range versionCacheSize {
		c.put(versionKey{tenantID: "t", flowID: "f", version: i}, &store.FlowVersion{})
	}
	if n := len(c.m); n > versionCacheSize {
		t.Errorf("the cache holds %d versions, want at most %d", n, versionCacheSize)
	}
}
