package bench

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// sink is the target system of the simple flow: it counts the runs' writes
// and measures how long after its webhook each one arrived.
type sink struct {
	url    string
	srv    *http.Server
	count  atomic.Int64
	e2e    samples
	mu     sync.Mutex
	first  time.Time
	last   time.Time
	notify chan struct{}
}

// sinkBody is the part of a written sales order the sink reads.
type sinkBody struct {
	SentAt float64 `json:"SentAt"` // seconds since the epoch
}

func startSink() (*sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &sink{url: "http://" + ln.Addr().String() + "/orders", notify: make(chan struct{}, 1)}
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

func (s *sink) serve(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	raw, _ := io.ReadAll(r.Body)
	var b sinkBody
	if err := json.Unmarshal(raw, &b); err != nil || b.SentAt == 0 {
		http.Error(w, "the body needs SentAt", http.StatusBadRequest)
		return
	}
	s.e2e.add(now.Sub(time.UnixMicro(int64(b.SentAt * 1e6))))
	s.mu.Lock()
	if s.first.IsZero() {
		s.first = now
	}
	s.last = now
	s.mu.Unlock()
	s.count.Add(1)
	select {
	case s.notify <- struct{}{}:
	default:
	}
	w.WriteHeader(http.StatusCreated)
	w.Write([]byte(`{"ok":true}`))
}

func (s *sink) close() { s.srv.Close() }
