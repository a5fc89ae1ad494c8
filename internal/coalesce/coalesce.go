// Package coalesce runs concurrent requests together in batches, the way a
// database commits concurrent transactions in one group: whoever finds no
// batch running for the waiting requests runs them (up to a bound) as one;
// requests arriving meanwhile wait for the next. A lone request runs at once,
// so latency does not grow when there is nothing to share; under load, one
// round trip serves many requests.
package coalesce

import "sync"

// Batcher batches the items passed to Do. Set Run before first use.
type Batcher[T any] struct {
	// Run executes one batch and gives each item its outcome (items are
	// usually pointers carrying their own result fields).
	Run func(items []T)
	// Max bounds the items of one batch; 0 or less: unbounded.
	Max int
	// Parallel is how many batches may run at once; 0 or less: 1.
	Parallel int

	mu       sync.Mutex
	waiting  []*entry[T]
	inflight int
}

type entry[T any] struct {
	item T
	done chan struct{}
}

// Do adds item to the next batch and returns once that batch has run.
func (b *Batcher[T]) Do(item T) {
	e := &entry[T]{item: item, done: make(chan struct{})}
	b.mu.Lock()
	b.waiting = append(b.waiting, e)
	lead := b.inflight < max(b.Parallel, 1)
	if lead {
		b.inflight++
	}
	b.mu.Unlock()
	if lead {
		b.lead()
	}
	<-e.done
}

// lead runs the waiting items, then hands what arrived meanwhile to a new
// leader so that this caller can return.
func (b *Batcher[T]) lead() {
	b.mu.Lock()
	n := len(b.waiting)
	if b.Max > 0 {
		n = min(n, b.Max)
	}
	batch := b.waiting[:n:n]
	b.waiting = b.waiting[n:]
	b.mu.Unlock()
	if len(batch) > 0 {
		items := make([]T, len(batch))
		for i, e := range batch {
			items[i] = e.item
		}
		func() {
			defer func() {
				for _, e := range batch {
					close(e.done)
				}
			}()
			b.Run(items)
		}()
	}
	b.mu.Lock()
	more := len(b.waiting) > 0
	if !more {
		b.inflight--
	}
	b.mu.Unlock()
	if more {
		go b.lead()
	}
}
