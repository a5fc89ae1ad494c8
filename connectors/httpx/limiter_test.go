package httpx

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock whose Sleep moves time forward instead of waiting.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	advance bool // Sleep advances the clock (sequential callers)
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.advance {
		c.now = c.now.Add(d)
	}
	return ctx.Err()
}

// checkRate fails when any window of the sorted times holds more requests
// than a token bucket allows: burst + rate × window length.
func checkRate(tb testing.TB, times []time.Time, rate float64, burst int) {
	tb.Helper()
	for i := range times {
		for j := i; j < len(times); j++ {
			allowed := float64(burst) + rate*times[j].Sub(times[i]).Seconds() + 1e-9
			if n := float64(j - i + 1); n > allowed {
				tb.Fatalf("%v requests between %v and %v, at most %.2f allowed", n, times[i], times[j], allowed)
			}
		}
	}
}

func TestLimiterSequential(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: fixedNow, advance: true}
	ls := &Limiters{Now: clock.Now, Sleep: clock.Sleep}
	l := ls.Get("conn-a", 5, 2)
	var times []time.Time
	for i := 0; i < 20; i++ {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		times = append(times, clock.Now())
	}
	checkRate(t, times, 5, 2)
	if got := times[len(times)-1].Sub(times[0]); got != 3600*time.Millisecond {
		t.Errorf("20 requests at 5/s burst 2 took %v, want 3.6s", got)
	}
	if n, total := l.Waited(); n != 18 || total != 18*200*time.Millisecond {
		t.Errorf("Waited() = %d, %v; want 18, 3.6s", n, total)
	}
}

func TestLimiterConcurrentFIFO(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: fixedNow} // time stands still: every caller queues
	var mu sync.Mutex
	var waits []time.Duration
	ls := &Limiters{Now: clock.Now, Sleep: clock.Sleep, OnWait: func(conn string, d time.Duration) {
		if conn != "conn-a" {
			t.Errorf("OnWait got connection %q", conn)
		}
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
	}}
	l := ls.Get("conn-a", 10, 3)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if err := l.Wait(context.Background()); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	// Callers that waited proceed at now+wait; the first three did not wait.
	times := []time.Time{fixedNow, fixedNow, fixedNow}
	slices.Sort(waits)
	for _, w := range waits {
		times = append(times, fixedNow.Add(w))
	}
	if len(times) != 40 {
		t.Fatalf("%d proceed times, want 40", len(times))
	}
	checkRate(t, times, 10, 3)
	for i := 1; i < len(waits); i++ {
		if waits[i] == waits[i-1] {
			t.Fatalf("two callers share the slot %v: waits must be distinct and in arrival order", waits[i])
		}
	}
}

func TestLimitersArePerConnection(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: fixedNow}
	ls := &Limiters{Now: clock.Now, Sleep: clock.Sleep}
	a := ls.Get("tenant1-heartland", 1, 1)
	if ls.Get("tenant1-heartland", 1, 1) != a {
		t.Fatal("Get returned a different limiter for the same connection")
	}
	for i := 0; i < 5; i++ {
		a.Wait(context.Background())
	}
	b := ls.Get("tenant2-heartland", 1, 1)
	b.Wait(context.Background())
	if n, _ := b.Waited(); n != 0 {
		t.Errorf("a busy connection made another wait %d times", n)
	}
	if ls.Get("x", 0, 5) != nil {
		t.Error("rate 0 should mean no limiter")
	}
	ls.Get("tenant1-heartland", 20, 4)
	if r, bu := a.Limit(); r != 20 || bu != 4 {
		t.Errorf("limits not updated: %v/%d", r, bu)
	}
}

func TestLimiterCancelReturnsToken(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: fixedNow}
	l := (&Limiters{Now: clock.Now, Sleep: clock.Sleep}).Get("c", 1, 1)
	l.Wait(context.Background()) // uses the only token
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait on cancelled ctx = %v", err)
	}
	l.mu.Lock()
	tokens := l.tokens
	l.mu.Unlock()
	if tokens != 0 {
		t.Errorf("tokens = %v after a cancelled wait, want 0 (debt only for the first caller)", tokens)
	}
}

func TestClientUsesLimiter(t *testing.T) {
	t.Parallel()
	ts := newOKServer(t)
	clock := &fakeClock{now: fixedNow}
	ls := &Limiters{Now: clock.Now, Sleep: clock.Sleep}
	c := New(Options{System: "test", Limiter: ls.Get("c1", 2, 1)})
	for i := 0; i < 3; i++ {
		if _, err := c.Do(context.Background(), Request{Action: "get", Method: "GET", URL: ts}); err != nil {
			t.Fatal(err)
		}
	}
	if n, total := ls.Get("c1", 2, 1).Waited(); n != 2 || total != 1500*time.Millisecond {
		t.Errorf("client waits = %d, %v; want 2 waits totalling 1.5s", n, total)
	}
}
