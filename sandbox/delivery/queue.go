// Package delivery posts JSON event bodies to subscriber URLs in the
// background, retrying failed attempts a bounded number of times.
package delivery

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Options tune delivery. Zero values take the documented defaults.
type Options struct {
	// MaxAttempts is the number of tries per delivery (default 5).
	MaxAttempts int
	// Backoff is the pause before the second try; it doubles after each
	// failure, capped at 30 s (default 200 ms).
	Backoff time.Duration
	// Timeout bounds one attempt (default 5 s).
	Timeout time.Duration
	// Client sends the requests (default a client with Timeout).
	Client *http.Client
	// Logger receives one line per failed delivery (default discard).
	Logger *slog.Logger
}

// Status values of a Record.
const (
	StatusPending   = "pending"
	StatusDelivered = "delivered"
	StatusFailed    = "failed"
)

// Record is the state of one delivery.
type Record struct {
	ID         int64     `json:"id"`
	Event      string    `json:"event"`
	URL        string    `json:"url"`
	Status     string    `json:"status"`
	Attempts   int       `json:"attempts"`
	LastStatus int       `json:"last_status,omitempty"`
	LastError  string    `json:"last_error,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	Body       []byte    `json:"-"`
}

// Queue sends deliveries concurrently and tracks their outcome.
type Queue struct {
	opts    Options
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	mu      sync.Mutex
	records []*Record
	next    int64
	pending int
	idle    chan struct{}
}

// New returns a running queue; Close stops it.
func New(opts Options) *Queue {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 5
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 200 * time.Millisecond
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: opts.Timeout}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	idle := make(chan struct{})
	close(idle)
	return &Queue{opts: opts, ctx: ctx, cancel: cancel, idle: idle}
}

// Send schedules body to be POSTed to url as JSON. header may be nil.
func (q *Queue) Send(event, url string, body []byte, header http.Header) {
	q.mu.Lock()
	q.next++
	rec := &Record{ID: q.next, Event: event, URL: url, Status: StatusPending, CreatedAt: time.Now().UTC(), Body: body}
	q.records = append(q.records, rec)
	if q.pending == 0 {
		q.idle = make(chan struct{})
	}
	q.pending++
	q.mu.Unlock()
	q.wg.Add(1)
	go q.run(rec, header.Clone())
}

func (q *Queue) run(rec *Record, header http.Header) {
	defer q.wg.Done()
	backoff := q.opts.Backoff
	for attempt := 1; ; attempt++ {
		status, err := q.attempt(rec, header)
		ok := err == nil && status >= 200 && status < 300
		q.mu.Lock()
		rec.Attempts, rec.LastStatus = attempt, status
		rec.LastError = ""
		if err != nil {
			rec.LastError = err.Error()
		} else if !ok {
			rec.LastError = fmt.Sprintf("receiver answered %d", status)
		}
		done := ok || attempt >= q.opts.MaxAttempts || q.ctx.Err() != nil
		if done {
			rec.Status = StatusDelivered
			if !ok {
				rec.Status = StatusFailed
			}
		}
		q.mu.Unlock()
		if done {
			if !ok {
				q.opts.Logger.Warn("delivery failed", slog.String("event", rec.Event),
					slog.String("url", rec.URL), slog.Int("attempts", attempt), slog.String("error", rec.LastError))
			}
			q.finish()
			return
		}
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-q.ctx.Done():
			t.Stop()
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

func (q *Queue) attempt(rec *Record, header http.Header) (int, error) {
	ctx, cancel := context.WithTimeout(q.ctx, q.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rec.URL, bytes.NewReader(rec.Body))
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := q.opts.Client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return resp.StatusCode, nil
}

func (q *Queue) finish() {
	q.mu.Lock()
	q.pending--
	if q.pending == 0 {
		close(q.idle)
	}
	q.mu.Unlock()
}

// Wait blocks until no delivery is pending or ctx ends.
func (q *Queue) Wait(ctx context.Context) error {
	q.mu.Lock()
	idle := q.idle
	q.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for deliveries: %w", ctx.Err())
	}
}

// Records returns a copy of every delivery so far, oldest first.
func (q *Queue) Records() []Record {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Record, len(q.records))
	for i, r := range q.records {
		out[i] = *r
	}
	return out
}

// Clear forgets finished records; pending deliveries carry on.
func (q *Queue) Clear() {
	q.mu.Lock()
	kept := q.records[:0]
	for _, r := range q.records {
		if r.Status == StatusPending {
			kept = append(kept, r)
		}
	}
	q.records = kept
	q.mu.Unlock()
}

// Close abandons retries and waits for in-flight attempts to end.
func (q *Queue) Close() {
	q.cancel()
	q.wg.Wait()
}
