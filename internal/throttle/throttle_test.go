package throttle

import (
	"testing"
	"time"
)

func TestAllowRefusesOverBurstAndRefills(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	b := New()
	b.now = func() time.Time { return now }
	for i := range 3 {
		if ok, _ := b.Allow("k", 1, 3); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	ok, wait := b.Allow("k", 1, 3)
	if ok || wait != time.Second {
		t.Fatalf("4th attempt: ok=%v wait=%v, want refused with 1s", ok, wait)
	}
	if ok, _ := b.Allow("other", 1, 3); !ok {
		t.Fatal("a different key shares the bucket")
	}
	now = now.Add(time.Second)
	if ok, _ := b.Allow("k", 1, 3); !ok {
		t.Fatal("a token was not refilled after 1s")
	}
	b.Reset("k")
	for range 3 {
		if ok, _ := b.Allow("k", 1, 3); !ok {
			t.Fatal("Reset did not refill the bucket")
		}
	}
}

func TestAllowWithoutLimit(t *testing.T) {
	t.Parallel()
	b := New()
	for range 100 {
		if ok, _ := b.Allow("k", 0, 0); !ok {
			t.Fatal("a zero limit refused")
		}
	}
}
