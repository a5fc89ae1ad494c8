// Package throttle is an in-memory, keyed token bucket for refusing work
// over a rate (login attempts per address, webhook runs per tenant). It never
// waits: callers are told when to come back.
package throttle

import (
	"math"
	"sync"
	"time"
)

// maxKeys bounds memory: when more keys are tracked, full buckets (keys that
// have been quiet long enough to refill) are dropped.
const maxKeys = 100_000

// Buckets holds one token bucket per key.
type Buckets struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	rate, burst, tokens float64
	last                time.Time
}

// New returns an empty set of buckets.
func New() *Buckets { return &Buckets{buckets: map[string]*bucket{}, now: time.Now} }

// Allow takes one token from key's bucket, which refills at rate tokens per
// second up to burst. When the bucket is empty it reports false and how long
// until a token is available. rate or burst of 0 or less always allows.
func (b *Buckets) Allow(key string, rate float64, burst int) (bool, time.Duration) {
	if rate <= 0 || burst <= 0 {
		return true, 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	bk := b.buckets[key]
	if bk == nil {
		if len(b.buckets) >= maxKeys {
			b.prune(now)
		}
		bk = &bucket{tokens: float64(burst), last: now}
		b.buckets[key] = bk
	}
	bk.rate, bk.burst = rate, float64(burst)
	bk.refill(now)
	if bk.tokens >= 1 {
		bk.tokens--
		return true, 0
	}
	wait := time.Duration(math.Ceil((1 - bk.tokens) / rate * float64(time.Second)))
	return false, wait
}

// Reset forgets key, refilling its bucket (after a successful login).
func (b *Buckets) Reset(key string) {
	b.mu.Lock()
	delete(b.buckets, key)
	b.mu.Unlock()
}

func (bk *bucket) refill(now time.Time) {
	if elapsed := now.Sub(bk.last).Seconds(); elapsed > 0 {
		bk.tokens = math.Min(bk.burst, bk.tokens+elapsed*bk.rate)
	}
	bk.last = now
}

func (b *Buckets) prune(now time.Time) {
	for k, bk := range b.buckets {
		bk.refill(now)
		if bk.tokens >= bk.burst {
			delete(b.buckets, k)
		}
	}
}
