package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
)

// The runs-per-minute quota is a bucket of perMinute runs refilling evenly,
// kept per tenant in the database.
func TestTakeRun(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		st := testdb.Open(t, dialect)
		ctx := context.Background()
		a, b := newTenant(t, st, "alpha"), newTenant(t, st, "beta")
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		take := func(tenantID string, at time.Time) (bool, time.Duration) {
			t.Helper()
			ok, wait, err := st.TakeRun(ctx, tenantID, 6, at)
			if err != nil {
				t.Fatal(err)
			}
			return ok, wait
		}
		for i := range 6 {
			if ok, _ := take(a.ID, now); !ok {
				t.Fatalf("run %d of a burst of 6 refused", i+1)
			}
		}
		if ok, wait := take(a.ID, now); ok || wait != 10*time.Second {
			t.Fatalf("7th run: allowed %v, retry after %s; want refused, 10s", ok, wait)
		}
		if ok, _ := take(b.ID, now); !ok {
			t.Fatal("another tenant's quota was used up by the first")
		}
		if ok, wait := take(a.ID, now.Add(4*time.Second)); ok || wait != 6*time.Second {
			t.Fatalf("4s later: allowed %v, retry after %s; want refused, 6s", ok, wait)
		}
		if ok, _ := take(a.ID, now.Add(10*time.Second)); !ok {
			t.Fatal("10s later one run fits again, but it was refused")
		}
		if ok, _ := take(a.ID, now.Add(10*time.Second)); ok {
			t.Fatal("two runs fitted after 10s; one should")
		}
		for i := range 6 { // a quiet minute refills the bucket, and no more
			if ok, _ := take(a.ID, now.Add(5*time.Minute)); !ok {
				t.Fatalf("after a quiet while, run %d of 6 refused", i+1)
			}
		}
		if ok, _ := take(a.ID, now.Add(5*time.Minute)); ok {
			t.Fatal("a quiet while let more than a full bucket through")
		}
	})
}
