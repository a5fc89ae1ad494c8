package httpx

import (
	"context"
	"sync"
	"time"
)

// Limiter is a token bucket: Rate requests per second on average with bursts
// of up to Burst. Callers reserve their slot in arrival order, so waits are
// first-in first-out.
type Limiter struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time

	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
	onWait func(time.Duration)

	waits     int64
	waitTotal time.Duration
}

// NewLimiter returns a limiter allowing rate requests per second with bursts
// of burst (at least 1). It starts full.
func NewLimiter(rate float64, burst int) *Limiter {
	l := &Limiter{now: time.Now, sleep: Sleep}
	l.SetLimit(rate, burst)
	l.tokens = l.burst
	return l
}

// SetLimit changes the rate and burst, keeping the tokens already earned.
func (l *Limiter) SetLimit(rate float64, burst int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rate = rate
	l.burst = float64(max(burst, 1))
	l.tokens = min(l.tokens, l.burst)
}

// Limit returns the rate and burst.
func (l *Limiter) Limit() (float64, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rate, int(l.burst)
}

// Wait blocks until the caller may send one request, or ctx ends.
func (l *Limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	wait := l.reserve(l.now())
	if wait > 0 {
		l.waits++
		l.waitTotal += wait
	}
	onWait := l.onWait
	l.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	if onWait != nil {
		onWait(wait)
	}
	if err := l.sleep(ctx, wait); err != nil {
		l.mu.Lock()
		l.tokens = min(l.tokens+1, l.burst) // hand the unused slot back
		l.mu.Unlock()
		return err
	}
	return nil
}

// reserve takes one token, going into debt when none is left, and returns
// how long the caller must wait for its token. Debt makes later callers wait
// longer, which keeps the queue in arrival order.
func (l *Limiter) reserve(now time.Time) time.Duration {
	if !l.last.IsZero() && now.After(l.last) {
		l.tokens = min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	}
	if now.After(l.last) {
		l.last = now
	}
	l.tokens--
	if l.tokens >= 0 || l.rate <= 0 {
		return 0
	}
	return time.Duration(-l.tokens / l.rate * float64(time.Second))
}

// Waited returns how many calls had to wait and for how long in total.
func (l *Limiter) Waited() (count int64, total time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.waits, l.waitTotal
}

// Limiters holds one Limiter per connection id, shared by every client in
// the process that uses that connection. Each connection has its own bucket,
// so a busy tenant never delays another. The zero value is ready to use.
type Limiters struct {
	// Now and Sleep replace the clock in tests; nil means real time.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
	// OnWait, when set, is told about every wait (for metrics).
	OnWait func(connection string, d time.Duration)

	mu sync.Mutex
	m  map[string]*Limiter
}

// Get returns the limiter for a connection, creating it or updating its
// limits. A rate of 0 or less means no limit and returns nil.
func (ls *Limiters) Get(connection string, rate float64, burst int) *Limiter {
	if rate <= 0 {
		return nil
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if l, ok := ls.m[connection]; ok {
		if r, b := l.Limit(); r != rate || b != max(burst, 1) {
			l.SetLimit(rate, burst)
		}
		return l
	}
	l := NewLimiter(rate, burst)
	if ls.Now != nil {
		l.now = ls.Now
	}
	if ls.Sleep != nil {
		l.sleep = ls.Sleep
	}
	if ls.OnWait != nil {
		onWait := ls.OnWait
		l.onWait = func(d time.Duration) { onWait(connection, d) }
	}
	if ls.m == nil {
		ls.m = map[string]*Limiter{}
	}
	ls.m[connection] = l
	return l
}

// Sleep waits for d or until ctx ends, whichever comes first.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
