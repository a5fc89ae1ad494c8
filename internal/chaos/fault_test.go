package chaos_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/sandbox"
	"github.com/bridgework/bridgework/sandbox/fault"
)

// With 20% server errors, 10% rate limiting and a 30-second outage injected
// into Epicor, 500 orders all end as sales orders exactly once, and the run
// history shows the retries.
func TestFaultyEpicorStillGetsEveryOrderOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test: runs a real server process for about a minute")
	}
	const orders = 500
	sb, err := sandbox.Start(context.Background(), sandbox.Options{HeartlandListen: "127.0.0.1:0", EpicorListen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	srv := newServer(t, binary(t), testdb.URL(t, "postgres"))
	srv.start()
	o := setupOrders(t, srv, sb, "faults", map[string]any{"timeout_seconds": 2, "rate_limit_per_second": 200, "rate_limit_burst": 20})
	token := o.token
	hookURL := srv.url + "/hooks/" + o.hookID

	if err := sb.Epicor.Faults().Set(fault.Config{ErrorRates: map[int]float64{500: 0.1, 503: 0.1, 429: 0.1}}); err != nil {
		t.Fatal(err)
	}
	var (
		wg       sync.WaitGroup
		accepted atomic.Int32
		next     atomic.Int32
	)
	for range 8 { // eight senders at once
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := int(next.Add(1)); n <= orders; n = int(next.Add(1)) {
				for {
					status, err := postJSON(hookURL, orderBody(n))
					if err == nil && status == http.StatusAccepted {
						accepted.Add(1)
						break
					}
					time.Sleep(20 * time.Millisecond) // refused: retry like a sender would
				}
				if n == orders/5 { // a fifth of the way in, Epicor goes down for 30 seconds
					cfg := fault.Config{ErrorRates: map[int]float64{500: 0.1, 503: 0.1, 429: 0.1}, DownForSeconds: 30}
					if err := sb.Epicor.Faults().Set(cfg); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	started := time.Now()
	deadline := started.Add(4 * time.Minute)
	for {
		_, s, _ := srv.call(http.MethodGet, "/api/v1/runs?status=succeeded&per_page=1", token, nil)
		if s != nil && int(s["total"].(float64)) == orders {
			break
		}
		if time.Now().After(deadline) {
			_, f, _ := srv.call(http.MethodGet, "/api/v1/runs?status=failed&per_page=5", token, nil)
			t.Fatalf("only %v of %d runs succeeded within 4 minutes; failed: %v", s["total"], orders, f)
		}
		time.Sleep(250 * time.Millisecond)
	}
	missing, duplicates := tally(sb, orders)
	retried := 0
	for page := 1; ; page++ {
		_, r, _ := srv.call(http.MethodGet, fmt.Sprintf("/api/v1/runs?per_page=500&page=%d", page), token, nil)
		list, _ := r["runs"].([]any)
		for _, run := range list {
			if run.(map[string]any)["attempt"].(float64) > 1 {
				retried++
			}
		}
		if len(list) < 500 {
			break
		}
	}
	faults := 0
	for _, e := range sb.Epicor.Requests().Since(0) {
		if e.Fault != "" {
			faults++
		}
	}
	t.Logf("orders %d, accepted %d, injected faults answered %d, runs retried %d, missing %d, duplicates %d, drained %s after the last order was accepted",
		orders, accepted.Load(), faults, retried, missing, duplicates, time.Since(started).Round(time.Millisecond))
	if missing != 0 || duplicates != 0 || retried == 0 {
		t.Fatalf("missing %d, duplicates %d, retried runs %d", missing, duplicates, retried)
	}
}
