// Package reqlog records the requests a sandbox server answers, so tests and
// shell users can see exactly which calls a client made.
package reqlog

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// Entry is one answered request.
type Entry struct {
	ID            int64     `json:"id"`
	Time          time.Time `json:"time"`
	Method        string    `json:"method"`
	Path          string    `json:"path"`
	Query         string    `json:"query"`
	Status        int       `json:"status"`
	DurationMS    float64   `json:"duration_ms"`
	RequestBytes  int64     `json:"request_bytes"`
	ResponseBytes int64     `json:"response_bytes"`
	Fault         string    `json:"fault,omitempty"`
}

// Log is a bounded, concurrency-safe list of entries; the oldest are dropped
// once the capacity is reached.
type Log struct {
	mu       sync.Mutex
	entries  []Entry
	next     int64
	capacity int
}

// New returns a log keeping at most capacity entries (10000 when capacity <= 0).
func New(capacity int) *Log {
	if capacity <= 0 {
		capacity = 10000
	}
	return &Log{capacity: capacity}
}

// Since returns the entries whose id is greater than id, oldest first.
func (l *Log) Since(id int64) []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []Entry{}
	for _, e := range l.entries {
		if e.ID > id {
			out = append(out, e)
		}
	}
	return out
}

// LastID returns the id of the newest entry (0 when empty).
func (l *Log) LastID() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.next
}

// Clear drops every entry; ids keep increasing.
func (l *Log) Clear() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}

func (l *Log) add(e Entry) {
	l.mu.Lock()
	l.next++
	e.ID = l.next
	if len(l.entries) >= l.capacity {
		l.entries = append(l.entries[:0], l.entries[1:]...)
	}
	l.entries = append(l.entries, e)
	l.mu.Unlock()
}

type noteKey struct{}

// Annotate marks the request being logged with a fault description
// (for example "latency", "429" or "drop").
func Annotate(r *http.Request, fault string) {
	if p, ok := r.Context().Value(noteKey{}).(*string); ok {
		*p = fault
	}
}

// Middleware logs every request that passes through it.
func (l *Log) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		var note string
		body := &countingBody{ReadCloser: r.Body}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = body
		}
		rec := &Recorder{ResponseWriter: w}
		logged := false
		record := func() {
			size := body.n
			if r.ContentLength > size {
				size = r.ContentLength
			}
			l.add(Entry{
				Time: start.UTC(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
				Status: rec.Status(), DurationMS: float64(time.Since(start).Microseconds()) / 1000,
				RequestBytes: size, ResponseBytes: rec.Bytes, Fault: note,
			})
			logged = true
		}
		// A fault that drops the connection hijacks it: the request is logged
		// first, so a client that sees the drop finds the request in the log.
		rec.beforeHijack = record
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), noteKey{}, &note)))
		if !logged {
			record()
		}
	})
}

type countingBody struct {
	io.ReadCloser
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	return n, err
}

// Recorder wraps a ResponseWriter and remembers the status and byte count.
// It supports hijacking so that a fault can drop the connection.
type Recorder struct {
	http.ResponseWriter
	status int
	// Bytes counts the body bytes written.
	Bytes int64
	// beforeHijack, when set, runs before the connection is handed over.
	beforeHijack func()
}

// Status returns the written status (200 when only a body was written, 0 when
// the connection was dropped before any answer).
func (r *Recorder) Status() int {
	if r.status == 0 && r.Bytes > 0 {
		return http.StatusOK
	}
	return r.status
}

// WriteHeader records the status.
func (r *Recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// Write counts the bytes written.
func (r *Recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(p)
	r.Bytes += int64(n)
	return n, err
}

// Hijack hands over the underlying connection.
func (r *Recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("reqlog: connection cannot be hijacked")
	}
	if r.beforeHijack != nil {
		r.beforeHijack()
	}
	return h.Hijack()
}

// Unwrap gives http.ResponseController access to the wrapped writer.
func (r *Recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
