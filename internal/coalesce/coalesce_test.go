package coalesce

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type req struct {
	n   int
	out int
}

// A lone request runs at once in a batch of its own.
func TestLoneRequestRunsAtOnce(t *testing.T) {
	var sizes []int
	b := &Batcher[*req]{Run: func(items []*req) {
		sizes = append(sizes, len(items))
		for _, r := range items {
			r.out = r.n * 2
		}
	}}
	for i := range 3 {
		r := &req{n: i}
		b.Do(r)
		if r.out != i*2 {
			t.Errorf("request %d: out = %d", i, r.out)
		}
	}
	if len(sizes) != 3 || sizes[0] != 1 || sizes[2] != 1 {
		t.Errorf("batch sizes %v, want three batches of one", sizes)
	}
}

// Requests arriving while a batch runs wait and run together in the next,
// at most Max at a time and never more than Parallel batches at once; every
// request gets its own outcome.
func TestRequestsArrivingMeanwhileShareABatch(t *testing.T) {
	const waiters = 25
	release := make(chan struct{})
	var (
		mu       sync.Mutex
		sizes    []int
		running  atomic.Int64
		most     atomic.Int64
		firstRun = make(chan struct{})
		once     sync.Once
	)
	b := &Batcher[*req]{Max: 10, Parallel: 1, Run: func(items []*req) {
		if n := running.Add(1); n > most.Load() {
			most.Store(n)
		}
		defer running.Add(-1)
		once.Do(func() { close(firstRun); <-release }) // hold the first batch
		mu.Lock()
		sizes = append(sizes, len(items))
		mu.Unlock()
		for _, r := range items {
			r.out = r.n + 1000
		}
	}}
	var wg sync.WaitGroup
	first := &req{n: -1}
	wg.Go(func() { b.Do(first) })
	<-firstRun
	reqs := make([]*req, waiters)
	for i := range reqs {
		reqs[i] = &req{n: i}
		wg.Go(func() { b.Do(reqs[i]) })
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		b.mu.Lock()
		n := len(b.waiting)
		b.mu.Unlock()
		if n == waiters {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d requests waiting after 5s", n, waiters)
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if first.out != 999 {
		t.Errorf("first request: out = %d", first.out)
	}
	for i, r := range reqs {
		if r.out != i+1000 {
			t.Errorf("request %d: out = %d", i, r.out)
		}
	}
	if want := []int{1, 10, 10, 5}; len(sizes) != len(want) || sizes[1] != 10 || sizes[2] != 10 || sizes[3] != 5 {
		t.Errorf("batch sizes %v, want %v", sizes, want)
	}
	if most.Load() != 1 {
		t.Errorf("%d batches ran at once, want 1", most.Load())
	}
}
