package bench

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/store"
)

// The database round trips of accepting a webhook and of working its run
// are counted, so a change that adds queries to the hot path shows here.
func TestRoundTripsPerRun(t *testing.T) {
	p, queries := inProcess(t, store.Postgres, 1)
	hook, sk := simpleHook(t, p)
	l := newLoad(hook, 1, heartlandOrder)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	l.post(ctx, 0) // warms the caches
	waitFor(ctx, t, sk, 1)
	stop := queries.record()
	l.post(ctx, 1)
	waitFor(ctx, t, sk, 2)
	sqls := stop()
	var run []string
	for _, q := range sqls {
		// River's fetches, leader election and maintenance poll on their own.
		if strings.Contains(q, "river_leader") || strings.Contains(q, "river_queue") || strings.Contains(q, "pg_notify") && !strings.Contains(q, "INSERT") {
			continue
		}
		run = append(run, q)
	}
	t.Logf("%d queries for one webhook and its run:\n%s", len(run), strings.Join(trim(run), "\n"))
	if len(run) > maxQueriesPerRun {
		t.Errorf("%d queries per webhook and run, want at most %d", len(run), maxQueriesPerRun)
	}
}

// maxQueriesPerRun is the round-trip budget of one simple run, webhook included.
const maxQueriesPerRun = 12

func waitFor(ctx context.Context, t *testing.T, sk *sink, n int64) {
	t.Helper()
	for sk.count.Load() < n {
		select {
		case <-sk.notify:
		case <-ctx.Done():
			t.Fatalf("the sink has %d writes, want %d", sk.count.Load(), n)
		}
	}
}

func trim(qs []string) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q[:min(len(q), 140)]
	}
	return out
}
