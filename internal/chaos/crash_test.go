package chaos_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/sandbox"
	"github.com/bridgework/bridgework/sandbox/fault"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// orderFlow is webhook → Epicor sales order keyed by the Heartland order
// number (PONum), deduplicated by order number.
func orderFlow(connID string, custNum any) map[string]any {
	return map[string]any{
		"nodes": []map[string]any{
			{"id": "order", "type": "trigger.webhook", "config": map[string]any{"auth": map[string]any{"mode": "none"}, "dedupe_key": ".order_number"}},
			{"id": "create", "type": "connector", "config": map[string]any{"connection": connID, "operation": "create_sales_order",
				"input": fmt.Sprintf(`{CustNum: %v, PONum: ("HL-" + .order_number)}`, custNum)}},
		},
		"edges":    []map[string]any{{"from": "order", "to": "create"}},
		"settings": map[string]any{"business_key": ".order_number", "retry": map[string]any{"max_attempts": 20, "initial_interval": "200ms", "max_interval": "2s"}},
	}
}

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

	tenant := srv.must(http.MethodPost, "/api/v1/tenants", "chaos-admin-token-0123456789",
		map[string]any{"name": "Chaos", "slug": "chaos", "admin_email": "ops@chaos.test"}, http.StatusCreated)
	tok := srv.must(http.MethodPost, "/api/v1/auth/token", "", map[string]any{"api_key": tenant["admin"].(map[string]any)["api_key"]}, http.StatusOK)
	token := tok["access_token"].(string)
	conn := srv.must(http.MethodPost, "/api/v1/connections", token, map[string]any{"name": "Epicor", "type": "epicor",
		"config":  map[string]any{"base_url": sb.EpicorURL, "instance": "kinetic", "company": "EPIC06", "timeout_seconds": 1},
		"secrets": map[string]any{"api_key": "sandbox-api-key", "username": "manager", "password": "manager"}}, http.StatusCreated)
	flow := srv.must(http.MethodPost, "/api/v1/flows", token, map[string]any{"name": "Orders",
		"definition": orderFlow(conn["id"].(string), sb.Epicor.Rows("Customers", nil)[0]["CustNum"])}, http.StatusCreated)
	pub := srv.must(http.MethodPost, "/api/v1/flows/"+flow["id"].(string)+"/publish", token, nil, http.StatusOK)
	hookURL := srv.url + "/hooks/" + pub["hooks"].([]any)[0].(map[string]any)["id"].(string)
	if lostAnswers > 0 {
		if err := sb.Epicor.Faults().Set(fault.Config{WriteTimeout: &fault.WriteTimeout{Mode: "delay", DelayMS: 1500, Count: lostAnswers}}); err != nil {
			t.Fatal(err)
		}
	}

	// The sender keeps re-delivering an order until Bridgework accepts it,
	// as Heartland's retries would; accepted means 202 (or 200 duplicate).
	var (
		mu       sync.Mutex
		accepted = map[int]bool{}
		done     = make(chan struct{})
	)
	go func() {
		defer close(done)
		for n := 1; n <= orders; n++ {
			for {
				status, err := postJSON(hookURL, orderBody(n))
				if err == nil && (status == http.StatusAccepted || status == http.StatusOK) {
					mu.Lock()
					accepted[n] = true
					mu.Unlock()
					break
				}
				time.Sleep(20 * time.Millisecond) // the server is down: retry like a sender would
			}
			time.Sleep(15 * time.Millisecond) // a steady stream, so kills land mid-flow
		}
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
	deadline := time.Now().Add(3 * time.Minute)
	for {
		_, q, _ := srv.call(http.MethodGet, "/api/v1/runs?status=queued&per_page=1", token, nil)
		_, r, _ := srv.call(http.MethodGet, "/api/v1/runs?status=running&per_page=1", token, nil)
		_, s, _ := srv.call(http.MethodGet, "/api/v1/runs?status=succeeded&per_page=1", token, nil)
		if q != nil && r != nil && s != nil && q["total"].(float64) == 0 && r["total"].(float64) == 0 && int(s["total"].(float64)) == len(accepted) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("runs did not finish within 3 minutes: queued %v running %v succeeded %v of %d", q["total"], r["total"], s["total"], len(accepted))
		}
		time.Sleep(200 * time.Millisecond)
	}
	created, missing, duplicates := 0, 0, 0
	for n := range accepted {
		switch c := len(sb.Epicor.Rows("SalesOrders", map[string]any{"PONum": poNum(n)})); {
		case c == 0:
			missing++
		case c > 1:
			duplicates += c - 1
		}
	}
	created = len(sb.Epicor.Rows("SalesOrders", nil)) - seededOrders(sb)
	t.Logf("orders sent %d, accepted %d, kills %d, lost write answers %d, sales orders created %d, missing %d, duplicates %d, longest restart %s, drained %s after the stream ended",
		orders, len(accepted), kills, lostAnswers, created, missing, duplicates, longest.Round(time.Millisecond), time.Since(drained).Round(time.Millisecond))
	if len(accepted) != orders || missing != 0 || duplicates != 0 || created != orders {
		t.Fatalf("accepted %d of %d, created %d, missing %d, duplicates %d", len(accepted), orders, created, missing, duplicates)
	}
}

// seededOrders counts the sales orders the sandbox starts with.
func seededOrders(sb *sandbox.Running) int {
	n := 0
	for _, r := range sb.Epicor.Rows("SalesOrders", nil) {
		if po, _ := r["PONum"].(string); !has(po, "HL-") {
			n++
		}
	}
	return n
}
