package server_test

import (
	"context"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/sandbox"
	"github.com/bridgework/bridgework/sandbox/epicor"
	"github.com/bridgework/bridgework/sandbox/heartland"
)

// wrongSecret is a credential the simulators refuse.
const wrongSecret = "bad-secret-4242"

// startSandboxes runs both simulators on free loopback ports for one test.
func startSandboxes(tb testing.TB) *sandbox.Running {
	tb.Helper()
	run, err := sandbox.Start(context.Background(), sandbox.Options{HeartlandListen: "127.0.0.1:0", EpicorListen: "127.0.0.1:0"})
	if err != nil {
		tb.Fatalf("start sandboxes: %v", err)
	}
	tb.Cleanup(func() { run.Close() })
	return run
}

// sandboxConfig is the config of a connection to a simulator, merged with
// extra. Every test connection to a loopback simulator is made here, so
// that outbound-address settings for tests live in one place.
func sandboxConfig(base string, extra map[string]any) map[string]any {
	cfg := map[string]any{"base_url": base, "max_attempts": 2, "timeout_seconds": 5}
	for k, v := range extra {
		cfg[k] = v
	}
	return cfg
}

// heartlandConfig and epicorConfig are connections to the simulators with
// their default credentials (secrets) and extra config.
func heartlandConfig(run *sandbox.Running, extra map[string]any) (map[string]any, map[string]string) {
	return sandboxConfig(run.HeartlandURL+"/api", extra), map[string]string{"api_token": heartland.DefaultToken}
}

func epicorConfig(run *sandbox.Running, extra map[string]any) (map[string]any, map[string]string) {
	base := map[string]any{"instance": epicor.DefaultInstance, "company": run.Epicor.Company()}
	for k, v := range extra {
		base[k] = v
	}
	return sandboxConfig(run.EpicorURL, base), map[string]string{"api_key": epicor.DefaultAPIKey,
		"username": epicor.DefaultUsername, "password": epicor.DefaultPassword}
}

// connection creates a connection through the API and returns its id.
func (h *harness) connection(token, name, typ string, config map[string]any, secrets map[string]string) string {
	h.t.Helper()
	res := h.do(http.MethodPost, "/api/v1/connections", token, map[string]any{"name": name, "type": typ, "config": config, "secrets": secrets})
	if res.Status != http.StatusCreated {
		h.t.Fatalf("create connection %s: %d %s", name, res.Status, res.Raw)
	}
	return res.Body["id"].(string)
}

// POST /connections/{id}/test reaches the simulators: the default
// credentials pass; a wrong token, API key or password, or an address
// nothing listens on, fail with a message naming the problem.
func TestConnectionTestAgainstSandboxes(t *testing.T) {
	run := startSandboxes(t)
	closed := closedAddress(t)
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect)
		acme := h.tenant("acme")
		with := func(secrets map[string]string, k, v string) map[string]string {
			out := map[string]string{}
			for sk, sv := range secrets {
				out[sk] = sv
			}
			out[k] = v
			return out
		}
		hlCfg, hlSec := heartlandConfig(run, nil)
		epCfg, epSec := epicorConfig(run, nil)
		epTokenCfg, _ := epicorConfig(run, map[string]any{"auth": "token"})
		badURLCfg, _ := heartlandConfig(run, map[string]any{"base_url": "http://" + closed + "/api", "max_attempts": 1})
		wrongPathCfg, _ := epicorConfig(run, map[string]any{"instance": "NoSuchInstance"})
		cases := []struct {
			name, typ string
			config    map[string]any
			secrets   map[string]string
			ok        bool
			message   []string // substrings of the message
		}{
			{"heartland", "heartland", hlCfg, hlSec, true, []string{"heartland"}},
			{"heartland wrong token", "heartland", hlCfg, with(hlSec, "api_token", wrongSecret), false, []string{"heartland", "401", "token"}},
			{"heartland bad URL", "heartland", badURLCfg, hlSec, false, []string{"heartland", closed}},
			{"epicor basic", "epicor", epCfg, epSec, true, []string{"epicor"}},
			{"epicor token", "epicor", epTokenCfg, epSec, true, []string{"epicor"}},
			{"epicor wrong api key", "epicor", epCfg, with(epSec, "api_key", wrongSecret), false, []string{"epicor", "401", "API key"}},
			{"epicor wrong password", "epicor", epTokenCfg, with(epSec, "password", wrongSecret), false, []string{"epicor", "401", "password"}},
			{"epicor wrong instance", "epicor", wrongPathCfg, epSec, false, []string{"epicor", "404"}},
		}
		for _, tc := range cases {
			id := h.connection(acme.Token, tc.name, tc.typ, tc.config, tc.secrets)
			res := h.do(http.MethodPost, "/api/v1/connections/"+id+"/test", acme.Token, nil)
			msg, _ := res.Body["message"].(string)
			if res.Status != http.StatusOK || res.Body["ok"] != tc.ok {
				t.Errorf("%s: test = %d %s, want ok %v", tc.name, res.Status, res.Raw, tc.ok)
				continue
			}
			for _, want := range tc.message {
				if !strings.Contains(msg, want) {
					t.Errorf("%s: message %q does not mention %q", tc.name, msg, want)
				}
			}
			if strings.Contains(msg, "*") {
				t.Errorf("%s: message %q was masked (a correlation id taken for a card number?)", tc.name, msg)
			}
			for _, secret := range []string{wrongSecret, heartland.DefaultToken, epicor.DefaultAPIKey} {
				if strings.Contains(msg, secret) {
					t.Errorf("%s: message %q reveals a credential", tc.name, msg)
				}
			}
		}
	})
}

// closedAddress returns a loopback address nothing listens on.
func closedAddress(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// A burst of runs through a connector node on a connection limited to N
// requests per second never sends more than N (plus the burst) to the
// system in any one-second window, and every run succeeds.
func TestConnectionRateLimitAcrossRuns(t *testing.T) {
	const (
		rate  = 5
		burst = 2
		runs  = 30
	)
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		run := startSandboxes(t)
		h := newHarnessWith(t, dialect, 4)
		acme := h.tenant("acme")
		cfg, sec := heartlandConfig(run, map[string]any{"rate_limit_per_second": rate, "rate_limit_burst": burst})
		conn := h.connection(acme.Token, "Heartland sandbox", "heartland", cfg, sec)
		def := flowDoc([]map[string]any{
			openHook(),
			node("item", "connector", map[string]any{"connection": conn, "operation": "get_item", "input": "{id: .item}"}),
		}, []map[string]any{edge("hook", "item", "")})
		_, hookID := h.publishFlow(acme.Token, "Items", def)

		ids := make([]string, runs)
		for i := range runs {
			res := h.postHook(hookID, []byte(`{"order_number":"`+strconv.Itoa(i)+`","item":`+strconv.Itoa(100501+i)+`}`), "", "")
			if res.Status != http.StatusAccepted {
				t.Fatalf("webhook %d: %d %s", i, res.Status, res.Raw)
			}
			ids[i] = res.Body["run_id"].(string)
		}
		for i, id := range ids {
			detail := h.waitRun(acme.Token, id)
			if r := detail.Body["run"].(map[string]any); r["status"] != "succeeded" {
				t.Fatalf("run %d did not succeed: %s", i, detail.Raw)
			}
			out, _ := stepsByKey(detail)["item"][0]["output"].(map[string]any)
			if out["id"] != float64(100501+i) {
				t.Errorf("run %d read %v, want item %d", i, out["id"], 100501+i)
			}
		}

		var times []time.Time
		for _, e := range run.Heartland.Requests().Since(0) {
			if strings.HasPrefix(e.Path, "/api/items/") {
				if e.Status != http.StatusOK {
					t.Errorf("request %s answered %d", e.Path, e.Status)
				}
				times = append(times, e.Time)
			}
		}
		if len(times) != runs {
			t.Fatalf("the sandbox saw %d item reads, want %d", len(times), runs)
		}
		sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
		for i, start := range times {
			n := 0
			for _, at := range times[i:] {
				if at.Sub(start) < time.Second {
					n++
				}
			}
			if n > rate+burst {
				t.Errorf("%d requests in the second from %s, want at most %d", n, start.Format("15:04:05.000"), rate+burst)
			}
		}
		if span, least := times[len(times)-1].Sub(times[0]), time.Duration(runs-burst)*time.Second/rate; span < least*9/10 {
			t.Errorf("%d requests took %v, want about %v or more at %d/s", runs, span, least, rate)
		}
	})
}
