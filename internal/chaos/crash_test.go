package chaos_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/sandbox"
	"github.com/bridgework/bridgework/sandbox/fault"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// A real bridgework process on Postgres receives a stream of orders and is
// killed with SIGKILL at random moments, then restarted; in the second case
// Epicor also applies writes but loses the answers. Every accepted order must
// end as exactly one sales order.
func TestCrashesLoseAndDuplicateNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: runs a real server process for about a minute")
	}
	bin := binary(t)
	for _, tc := range []struct {
		name         string
		lostAnswers  int
		orders, kill int
	}{
		{"sigkill", 0, 120, 4},
		{"sigkill and lost write answers", 15, 120, 3},
	} {
		t.Run(tc.name, func(t *testing.T) { crashScenario(t, bin, tc.orders, tc.kill, tc.lostAnswers) })
	}
}

func crashScenario(t *testing.T, bin string, orders, kills, lostAnswers int) {
	sb, err := sandbox.Start(context.Background(), sandbox.Options{HeartlandListen: "127.0.0.1:0", EpicorListen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	srv := newServer(t, bin, testdb.URL(t, "postgres"))
	srv.start()
	o := setupOrders(t, srv, sb, "chaos", map[string]any{"timeout_seconds": 1})
	if lostAnswers > 0 {
		if err := sb.Epicor.Faults().Set(fault.Config{WriteTimeout: &fault.WriteTimeout{Mode: "delay", DelayMS: 1500, Count: lostAnswers}}); err != nil {
			t.Fatal(err)
		}
	}

	// One sender streams the orders, re-delivering each until accepted.
	snd := &sender{targets: []*server{srv}, hookID: o.hookID}
	done := make(chan struct{})
	go func() {
		defer close(done)
		snd.send(1, orders, 1, 15*time.Millisecond) // a steady stream, so kills land mid-flow
	}()

	var longest time.Duration
	for k := 0; k < kills; k++ {
		time.Sleep(time.Duration(500+rand.IntN(1500)) * time.Millisecond) // a random moment to crash
		srv.kill()
		if d := srv.start(); d > longest {
			longest = d
		}
	}
	<-done

	drained := time.Now()
	waitSettled(t, srv, o.token, orders, 3*time.Minute)
	missing, duplicates := tally(sb, orders)
	created := len(sb.Epicor.Rows("SalesOrders", nil)) - seededOrders(sb)
	accepted := int(snd.accepted.Load())
	t.Logf("orders sent %d, accepted %d, kills %d, lost write answers %d, sales orders created %d, missing %d, duplicates %d, longest restart %s, drained %s after the stream ended",
		orders, accepted, kills, lostAnswers, created, missing, duplicates, longest.Round(time.Millisecond), time.Since(drained).Round(time.Millisecond))
	if accepted != orders || missing != 0 || duplicates != 0 || created != orders {
		t.Fatalf("accepted %d of %d, created %d, missing %d, duplicates %d", accepted, orders, created, missing, duplicates)
	}
}
