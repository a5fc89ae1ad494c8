package delivery

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetriesThenDelivers(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		got <- r.Header.Get("X-Event") + " " + r.Header.Get("Content-Type")
	}))
	defer srv.Close()
	q := New(Options{Backoff: time.Millisecond})
	defer q.Close()
	q.Send("thing_happened", srv.URL, []byte(`{"id":1}`), http.Header{"X-Event": {"thing_happened"}})
	if err := q.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if h := <-got; h != "thing_happened application/json" {
		t.Errorf("headers %q", h)
	}
	r := q.Records()
	if len(r) != 1 || r[0].Status != StatusDelivered || r[0].Attempts != 3 || r[0].LastStatus != 200 {
		t.Fatalf("records %+v", r)
	}
	q.Clear()
	if len(q.Records()) != 0 {
		t.Error("Clear kept finished records")
	}
}

func TestUnreachableFailsAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	q := New(Options{Backoff: time.Millisecond, MaxAttempts: 2, Timeout: time.Second})
	defer q.Close()
	q.Send("e", "http://127.0.0.1:1/nothing", []byte(`{}`), nil)
	if err := q.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := q.Records()[0]
	if r.Status != StatusFailed || r.Attempts != 2 || r.LastError == "" {
		t.Fatalf("record %+v", r)
	}
}

func TestWaitHonoursContextAndCloseAbandons(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	q := New(Options{Backoff: time.Hour, MaxAttempts: 5, Timeout: time.Minute})
	q.Send("e", srv.URL, []byte(`{}`), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := q.Wait(ctx); err == nil {
		t.Fatal("Wait returned while a delivery was pending")
	}
	q.Close()
	if r := q.Records()[0]; r.Status != StatusFailed {
		t.Fatalf("after Close: %+v", r)
	}
}
