package chaos_test

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgework/bridgework/sandbox"
)

const adminToken = "chaos-admin-token-0123456789"

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

// orders is a tenant on srv with an Epicor connection to the sandbox and a
// published orderFlow.
type orders struct {
	token, connID, hookID string
}

// newTenant provisions the tenant slug through srv and returns its admin's
// access token. The tenant's outbound allow-list admits loopback, where the
// sandboxes listen.
func newTenant(t *testing.T, srv *server, slug string) string {
	t.Helper()
	tenant := srv.must(http.MethodPost, "/api/v1/tenants", adminToken,
		map[string]any{"name": slug, "slug": slug, "admin_email": "ops@" + slug + ".test", "outbound_allow": []string{"127.0.0.1"}}, http.StatusCreated)
	return srv.must(http.MethodPost, "/api/v1/auth/token", "", map[string]any{"api_key": tenant["admin"].(map[string]any)["api_key"]}, http.StatusOK)["access_token"].(string)
}

// setupOrders provisions the tenant slug with the order flow through srv;
// conn holds the Epicor connection's config beyond the sandbox's address.
func setupOrders(t *testing.T, srv *server, sb *sandbox.Running, slug string, conn map[string]any) orders {
	t.Helper()
	token := newTenant(t, srv, slug)
	config := map[string]any{"base_url": sb.EpicorURL, "instance": "kinetic", "company": "EPIC06"}
	for k, v := range conn {
		config[k] = v
	}
	c := srv.must(http.MethodPost, "/api/v1/connections", token, map[string]any{"name": "Epicor", "type": "epicor", "config": config,
		"secrets": map[string]any{"api_key": "sandbox-api-key", "username": "manager", "password": "manager"}}, http.StatusCreated)
	flow := srv.must(http.MethodPost, "/api/v1/flows", token, map[string]any{"name": "Orders",
		"definition": orderFlow(c["id"].(string), sb.Epicor.Rows("Customers", nil)[0]["CustNum"])}, http.StatusCreated)
	pub := srv.must(http.MethodPost, "/api/v1/flows/"+flow["id"].(string)+"/publish", token, nil, http.StatusOK)
	return orders{token: token, connID: c["id"].(string), hookID: pub["hooks"].([]any)[0].(map[string]any)["id"].(string)}
}

// sender delivers orders like Heartland does: each order is re-delivered
// until a Bridgework process accepts it (202, or 200 for a duplicate),
// moving on to the next process when one refuses or is down.
type sender struct {
	targets  []*server
	hookID   string
	accepted atomic.Int32
	retried  atomic.Int32 // deliveries that had to be repeated
}

// send delivers orders from..to with `parallel` senders and a gap between
// one sender's orders; it returns once every order is accepted.
func (s *sender) send(from, to, parallel int, gap time.Duration) {
	var (
		wg   sync.WaitGroup
		next atomic.Int32
	)
	next.Store(int32(from - 1))
	for i := range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			target := i
			for n := int(next.Add(1)); n <= to; n = int(next.Add(1)) {
				for {
					srv := s.targets[target%len(s.targets)]
					status, err := postJSON(srv.url+"/hooks/"+s.hookID, orderBody(n))
					if err == nil && (status == http.StatusAccepted || status == http.StatusOK) {
						s.accepted.Add(1)
						break
					}
					s.retried.Add(1)
					target++
					time.Sleep(20 * time.Millisecond) // refused or down: retry like a sender would
				}
				time.Sleep(gap)
			}
		}()
	}
	wg.Wait()
}

// waitSettled waits until no run is queued or running and want have
// succeeded, failing the test after within.
func waitSettled(t *testing.T, srv *server, token string, want int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		_, q, _ := srv.call(http.MethodGet, "/api/v1/runs?status=queued&per_page=1", token, nil)
		_, r, _ := srv.call(http.MethodGet, "/api/v1/runs?status=running&per_page=1", token, nil)
		_, s, _ := srv.call(http.MethodGet, "/api/v1/runs?status=succeeded&per_page=1", token, nil)
		if q != nil && r != nil && s != nil && q["total"].(float64) == 0 && r["total"].(float64) == 0 && int(s["total"].(float64)) == want {
			return
		}
		if time.Now().After(deadline) {
			_, f, _ := srv.call(http.MethodGet, "/api/v1/runs?status=failed&per_page=5", token, nil)
			t.Fatalf("runs did not settle within %s: queued %v running %v succeeded %v of %d; failed: %v", within, q["total"], r["total"], s["total"], want, f)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// tally counts the orders 1..n missing from Epicor and the extra sales
// orders written for any of them.
func tally(sb *sandbox.Running, n int) (missing, duplicates int) {
	for i := 1; i <= n; i++ {
		switch c := len(sb.Epicor.Rows("SalesOrders", map[string]any{"PONum": poNum(i)})); {
		case c == 0:
			missing++
		case c > 1:
			duplicates += c - 1
		}
	}
	return missing, duplicates
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
