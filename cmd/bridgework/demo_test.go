package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// demoProcess is a running `serve --demo`.
type demoProcess struct {
	base, heartland, epicor string
	stop                    func()
}

var (
	baseLine      = regexp.MustCompile(`Bridgework\s+(http://\S+)`)
	heartlandLine = regexp.MustCompile(`Heartland sandbox\s+(http://\S+)/api`)
	epicorLine    = regexp.MustCompile(`Epicor sandbox\s+(http://\S+)`)
)

func startDemoProcess(t *testing.T) *demoProcess {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stdout, stderr syncBuffer
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--listen", "127.0.0.1:0", "--heartland-listen", "127.0.0.1:0", "--epicor-listen", "127.0.0.1:0"}, &stdout, &stderr)
	}()
	deadline := time.After(60 * time.Second)
	for !strings.Contains(stdout.String(), "Bridgework demo is running") {
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve --demo exited with %d: %s", code, stderr.String())
		case <-deadline:
			cancel()
			t.Fatalf("the demo did not start within 60s: %s %s", stdout.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	out := stdout.String()
	p := &demoProcess{base: baseLine.FindStringSubmatch(out)[1], heartland: heartlandLine.FindStringSubmatch(out)[1], epicor: epicorLine.FindStringSubmatch(out)[1]}
	p.stop = func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve --demo exited with %d: %s", code, stderr.String())
			}
		case <-time.After(30 * time.Second):
			t.Error("serve --demo did not stop within 30s")
		}
	}
	return p
}

func call(t *testing.T, method, u string, header http.Header, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return res.StatusCode, out
}

// login signs in as the printed demo user and returns auth headers.
func (p *demoProcess) login(t *testing.T) http.Header {
	t.Helper()
	status, tok := call(t, http.MethodPost, p.base+"/api/v1/auth/token", nil,
		`{"email":"demo@bridgework.local","password":"bridgework-demo","tenant":"demo"}`)
	if status != http.StatusOK {
		t.Fatalf("demo login: %d %v", status, tok)
	}
	return http.Header{"Authorization": {"Bearer " + tok["access_token"].(string)}}
}

// `serve --demo` in-process: an order created in the Heartland sandbox
// travels (webhook → run → Epicor) to a sales order found by its PONum, the
// run is visible to the demo login, and a restart on the same data dir keeps
// one copy of every flow.
func TestServeDemoOrderTravels(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("BRIDGEWORK_DATABASE_URL", "sqlite://"+filepath.Join(dir, "bridgework.db"))
	p := startDemoProcess(t)
	auth := p.login(t)
	_, flows := call(t, http.MethodGet, p.base+"/api/v1/flows", auth, "")
	nflows := len(flows["flows"].([]any))

	status, order := call(t, http.MethodPost, p.heartland+"/_sandbox/events/sales_order", nil,
		`{"customer_id":100101,"station_id":100011,"source_location_id":100001,"lines":[{"item_lookup":"SKU-1001","qty":2},{"item_lookup":"SKU-1001","qty":1}]}`)
	if status != http.StatusCreated {
		t.Fatalf("create the Heartland order: %d %v", status, order)
	}
	po := "HL-" + order["public_id"].(string)
	epicorAuth := http.Header{"X-Api-Key": {"sandbox-api-key"}}
	query := p.epicor + "/kinetic/api/v2/odata/EPIC06/Erp.BO.SalesOrderSvc/SalesOrders?$expand=OrderDtls&$filter=" + url.QueryEscape(fmt.Sprintf("PONum eq '%s'", po))
	deadline := time.Now().Add(30 * time.Second)
	var found []any
	complete := func() bool { // the order exists with its lines (they are added after the header)
		if len(found) == 0 {
			return false
		}
		lines, _ := found[0].(map[string]any)["OrderDtls"].([]any)
		return len(lines) > 0
	}
	for !complete() {
		req, _ := http.NewRequest(http.MethodGet, query, nil)
		req.Header = epicorAuth.Clone()
		req.SetBasicAuth("manager", "manager")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Value []any }
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		found = body.Value
		if !complete() && time.Now().After(deadline) {
			_, runs := call(t, http.MethodGet, p.base+"/api/v1/runs", auth, "")
			t.Fatalf("no Epicor sales order with lines and PONum %s within 30s (found %v); runs: %v", po, found, runs)
		}
		if !complete() {
			time.Sleep(100 * time.Millisecond)
		}
	}
	so := found[0].(map[string]any)
	if lines := so["OrderDtls"].([]any); len(lines) != 1 || lines[0].(map[string]any)["SellingQuantity"] != 3.0 {
		t.Errorf("sales order lines %v, want one line of 3", so["OrderDtls"])
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		_, runs := call(t, http.MethodGet, p.base+"/api/v1/runs?business_key="+order["public_id"].(string), auth, "")
		list := runs["runs"].([]any)
		if len(list) == 1 && list[0].(map[string]any)["status"] == "succeeded" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("runs for order %v: %v, want one succeeded", order["public_id"], runs)
		}
	}
	p.stop()

	again := startDemoProcess(t)
	defer again.stop()
	_, flows = call(t, http.MethodGet, again.base+"/api/v1/flows", again.login(t), "")
	if n := len(flows["flows"].([]any)); n != nflows {
		t.Fatalf("%d flows after a restart, want the same %d", n, nflows)
	}
}
