package bench

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// load drives webhooks over HTTP from a pool of senders.
type load struct {
	client   *http.Client
	url      string
	senders  int
	body     func(i int) []byte
	latency  samples
	accepted atomic.Int64
	errors   atomic.Int64
	sent     atomic.Int64
}

func newLoad(url string, senders int, body func(i int) []byte) *load {
	tr := &http.Transport{MaxIdleConns: senders, MaxIdleConnsPerHost: senders, IdleConnTimeout: time.Minute}
	return &load{client: &http.Client{Transport: tr, Timeout: 30 * time.Second}, url: url, senders: senders, body: body}
}

// post sends one webhook and records its answer.
func (l *load) post(ctx context.Context, i int) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.url, bytes.NewReader(l.body(i)))
	if err != nil {
		l.errors.Add(1)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	began := time.Now()
	l.sent.Add(1)
	res, err := l.client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			l.errors.Add(1)
		}
		return
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	l.latency.add(time.Since(began))
	if res.StatusCode == http.StatusAccepted {
		l.accepted.Add(1)
	} else {
		l.errors.Add(1)
	}
}

// paced offers rate webhooks per second for d (open loop: the schedule does
// not wait for answers, as long as a sender is free). Webhooks not sent by
// the end of d, because every sender was busy, are not sent.
func (l *load) paced(ctx context.Context, rate int, d time.Duration) time.Duration {
	jobs := make(chan int, l.senders)
	var wg sync.WaitGroup
	for range l.senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				l.post(ctx, i)
			}
		}()
	}
	began := time.Now()
	interval := time.Second / time.Duration(max(rate, 1))
	n := int(d / interval)
	for i := range n {
		if wait := time.Until(began.Add(time.Duration(i) * interval)); wait > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
		}
		if ctx.Err() != nil || time.Since(began) > d {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return time.Since(began)
}

// flood sends n webhooks as fast as they are accepted.
func (l *load) flood(ctx context.Context, n int) time.Duration {
	var next atomic.Int64
	var wg sync.WaitGroup
	began := time.Now()
	for range l.senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				l.post(ctx, i)
			}
		}()
	}
	wg.Wait()
	return time.Since(began)
}
