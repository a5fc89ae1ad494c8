package server_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/internal/testdb"
)

// flowDoc builds a flow document from nodes and edges.
func flowDoc(nodes []map[string]any, edges []map[string]any) map[string]any {
	return map[string]any{"nodes": nodes, "edges": edges, "settings": map[string]any{"business_key": ".order_number"}}
}

func node(id, typ string, config map[string]any) map[string]any {
	if config == nil {
		config = map[string]any{}
	}
	return map[string]any{"id": id, "type": typ, "name": id, "config": config, "position": map[string]any{"x": 0, "y": 0}}
}

func edge(from, to, port string) map[string]any {
	e := map[string]any{"from": from, "to": to}
	if port != "" {
		e["port"] = port
	}
	return e
}

// validNodes is webhook → map → condition.
func validNodes() []map[string]any {
	return []map[string]any{
		node("hook", "trigger.webhook", map[string]any{"auth": map[string]any{"mode": "hmac"}, "dedupe_key": ".order_number"}),
		node("shape", "map", map[string]any{"jq": "{po: .order_number, total: .total}"}),
		node("big", "condition", map[string]any{"expression": "input.total > 100"}),
	}
}

func validEdges() []map[string]any {
	return []map[string]any{edge("hook", "shape", ""), edge("shape", "big", "")}
}

type problem struct{ NodeID, Field, Message string }

func problems(t *testing.T, res response) []problem {
	t.Helper()
	e, _ := res.Body["error"].(map[string]any)
	details, _ := e["details"].([]any)
	var out []problem
	for _, d := range details {
		m := d.(map[string]any)
		p := problem{Message: m["message"].(string)}
		p.NodeID, _ = m["node_id"].(string)
		p.Field, _ = m["field"].(string)
		out = append(out, p)
	}
	return out
}

func TestFlowValidationErrorsNameNodeAndField(t *testing.T) {
	h := newHarness(t, "sqlite")
	acme := h.tenant("acme")
	with := func(mod func(n []map[string]any, e []map[string]any) ([]map[string]any, []map[string]any)) map[string]any {
		n, e := mod(validNodes(), validEdges())
		return flowDoc(n, e)
	}
	tests := []struct {
		name      string
		def       map[string]any
		wantNode  string
		wantField string
		wantText  string
	}{
		{"unknown node type", with(func(n, e []map[string]any) ([]map[string]any, []map[string]any) {
			return append(n, node("x", "teleport", nil)), append(e, edge("big", "x", "true"))
		}), "x", "type", "unknown node type"},
		{"dangling edge", with(func(n, e []map[string]any) ([]map[string]any, []map[string]any) {
			return n, append(e, edge("big", "ghost", "true"))
		}), "big", ".to", "unknown node"},
		{"duplicate edge", with(func(n, e []map[string]any) ([]map[string]any, []map[string]any) {
			return n, append(e, edge("hook", "shape", ""))
		}), "hook", "edges", "duplicate edge"},
		{"cycle", with(func(n, e []map[string]any) ([]map[string]any, []map[string]any) {
			return append(n, node("again", "map", map[string]any{"jq": "."})), append(e, edge("big", "again", "true"), edge("again", "shape", ""))
		}), "*", "edges", "cycle"},
		{"no trigger", with(func(n, e []map[string]any) ([]map[string]any, []map[string]any) {
			return n[1:], e[1:]
		}), "", "nodes", "no trigger"},
		{"two triggers", with(func(n, e []map[string]any) ([]map[string]any, []map[string]any) {
			return append(n, node("tick", "trigger.schedule", map[string]any{"cron": "*/5 * * * *"})), append(e, edge("tick", "shape", ""))
		}), "tick", "type", "several trigger"},
		{"port the node does not have", with(func(n, e []map[string]any) ([]map[string]any, []map[string]any) {
			return append(n, node("after", "map", map[string]any{"jq": "."})), append(e, edge("big", "after", "maybe"))
		}), "big", ".port", "no port"},
		{"config violates schema", with(func(n, e []map[string]any) ([]map[string]any, []map[string]any) {
			n[1]["config"] = map[string]any{"jq": 42}
			return n, e
		}), "shape", "config.jq", ""},
		{"jq does not compile", with(func(n, e []map[string]any) ([]map[string]any, []map[string]any) {
			n[1]["config"] = map[string]any{"jq": "{po: .order_number"}
			return n, e
		}), "shape", "config.jq", ""},
		{"expr is not boolean", with(func(n, e []map[string]any) ([]map[string]any, []map[string]any) {
			n[2]["config"] = map[string]any{"expression": `"yes"`}
			return n, e
		}), "big", "config.expression", ""},
		{"expr does not compile", with(func(n, e []map[string]any) ([]map[string]any, []map[string]any) {
			n[2]["config"] = map[string]any{"expression": "input.total >"}
			return n, e
		}), "big", "config.expression", ""},
		{"connection does not exist", with(func(n, e []map[string]any) ([]map[string]any, []map[string]any) {
			return append(n, node("erp", "connector", map[string]any{"connection": "nope", "operation": "sales_orders.create", "input": "."})), append(e, edge("big", "erp", "true"))
		}), "erp", "config.connection", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := h.do(http.MethodPost, "/api/v1/flows", acme.Token, map[string]any{"name": tc.name, "definition": tc.def})
			if res.Status != http.StatusBadRequest || res.errorCode() != "invalid_flow" {
				t.Fatalf("got %d %s, want 400 invalid_flow", res.Status, trim(res.Raw))
			}
			found := false
			for _, p := range problems(t, res) {
				if (p.NodeID == tc.wantNode || (tc.wantNode == "*" && p.NodeID != "")) && strings.Contains(p.Field, tc.wantField) && strings.Contains(p.Message, tc.wantText) {
					found = true
				}
			}
			if !found {
				t.Errorf("no problem for node %q field %q (%q) in %s", tc.wantNode, tc.wantField, tc.wantText, res.Raw)
			}
		})
	}
	list := h.do(http.MethodGet, "/api/v1/flows", acme.Token, nil)
	if n := len(list.Body["flows"].([]any)); n != 0 {
		t.Errorf("%d flows were created by invalid requests", n)
	}
	// Several problems come back together.
	res := h.do(http.MethodPost, "/api/v1/flows", acme.Token, map[string]any{"name": "many", "definition": flowDoc(
		[]map[string]any{node("a", "map", map[string]any{"jq": "{"}), node("b", "teleport", nil)}, nil)})
	if got := len(problems(t, res)); got < 3 {
		t.Errorf("expected every problem at once (no trigger, bad jq, unknown type), got %d: %s", got, res.Raw)
	}
	if res := h.do(http.MethodPost, "/api/v1/flows", acme.Token, map[string]any{"name": "bad json", "definition": "not a flow"}); res.Status != http.StatusBadRequest {
		t.Errorf("a string definition: %d %s", res.Status, res.Raw)
	}
}

func TestFlowVersionsAndStaleSaveConflict(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect)
		acme := h.tenant("acme")
		def := flowDoc(validNodes(), validEdges())
		res := h.do(http.MethodPost, "/api/v1/flows", acme.Token, map[string]any{"name": "Orders", "definition": def})
		if res.Status != http.StatusCreated || res.Body["version"].(float64) != 1 || res.Body["status"] != "draft" {
			t.Fatalf("create: %d %s", res.Status, res.Raw)
		}
		id := res.Body["id"].(string)
		// Two analysts start from version 1; the second save must not overwrite the first.
		first := h.do(http.MethodPut, "/api/v1/flows/"+id, acme.Token, map[string]any{"name": "Orders A", "definition": def, "version": 1})
		if first.Status != http.StatusOK || first.Body["version"].(float64) != 2 {
			t.Fatalf("first save: %d %s", first.Status, first.Raw)
		}
		second := h.do(http.MethodPut, "/api/v1/flows/"+id, acme.Token, map[string]any{"name": "Orders B", "definition": def, "version": 1})
		if second.Status != http.StatusConflict || second.errorCode() != "version_conflict" {
			t.Fatalf("stale save: %d %s, want 409", second.Status, second.Raw)
		}
		got := h.do(http.MethodGet, "/api/v1/flows/"+id, acme.Token, nil)
		if got.Body["name"] != "Orders A" || got.Body["version"].(float64) != 2 {
			t.Fatalf("the stale save changed the flow: %s", got.Raw)
		}
		pub := h.do(http.MethodPost, "/api/v1/flows/"+id+"/publish", acme.Token, nil)
		if pub.Status != http.StatusOK || pub.Body["published_version"].(float64) != 2 {
			t.Fatalf("publish: %d %s", pub.Status, pub.Raw)
		}
		hooks := pub.Body["hooks"].([]any)
		if len(hooks) != 1 || !strings.HasPrefix(hooks[0].(map[string]any)["url"].(string), "http://bridgework.test/hooks/") || hooks[0].(map[string]any)["secret"] == "" {
			t.Fatalf("publish did not set up the webhook: %s", pub.Raw)
		}
		vers := h.do(http.MethodGet, "/api/v1/flows/"+id+"/versions", acme.Token, nil)
		list := vers.Body["versions"].([]any)
		if len(list) != 2 || list[0].(map[string]any)["published"] != true || list[1].(map[string]any)["version"].(float64) != 1 {
			t.Fatalf("versions: %s", vers.Raw)
		}
		v1 := h.do(http.MethodGet, "/api/v1/flows/"+id+"/versions/1", acme.Token, nil)
		var d map[string]any
		raw, _ := json.Marshal(v1.Body["definition"])
		json.Unmarshal(raw, &d)
		if len(d["nodes"].([]any)) != 3 {
			t.Fatalf("version 1 definition: %s", v1.Raw)
		}
		// Republishing keeps the webhook's id and secret.
		again := h.do(http.MethodPost, "/api/v1/flows/"+id+"/publish", acme.Token, map[string]any{"version": 1})
		if again.Status != http.StatusOK || again.Body["published_version"].(float64) != 1 {
			t.Fatalf("rollback publish: %d %s", again.Status, again.Raw)
		}
		h2 := again.Body["hooks"].([]any)[0].(map[string]any)
		if h2["id"] != hooks[0].(map[string]any)["id"] || h2["secret"] != hooks[0].(map[string]any)["secret"] {
			t.Fatalf("republishing changed the webhook: %v vs %v", h2, hooks[0])
		}
		other := h.tenant("other")
		for _, p := range []string{"/api/v1/flows/" + id, "/api/v1/flows/" + id + "/versions", "/api/v1/flows/" + id + "/hooks"} {
			if r := h.do(http.MethodGet, p, other.Token, nil); r.Status != http.StatusNotFound {
				t.Errorf("another tenant reads %s: %d", p, r.Status)
			}
		}
		if r := h.do(http.MethodPost, "/api/v1/flows/"+id+"/publish", other.Token, nil); r.Status != http.StatusNotFound {
			t.Errorf("another tenant publishes: %d", r.Status)
		}
	})
}

func TestNodeTypesAndTestRun(t *testing.T) {
	h := newHarness(t, "sqlite")
	acme := h.tenant("acme")
	nt := h.do(http.MethodGet, "/api/v1/node-types", acme.Token, nil)
	types := map[string]bool{}
	for _, n := range nt.Body["node_types"].([]any) {
		m := n.(map[string]any)
		if m["config_schema"] == nil {
			t.Errorf("node type %v has no config schema", m["type"])
		}
		types[m["type"].(string)] = true
	}
	for _, want := range []string{"trigger.webhook", "trigger.schedule", "trigger.event", "map", "condition", "switch", "foreach", "connector", "http", "delay", "fail"} {
		if !types[want] {
			t.Errorf("node-types lacks %s", want)
		}
	}
	res := h.do(http.MethodPost, "/api/v1/flows", acme.Token, map[string]any{"name": "Orders", "definition": flowDoc(validNodes(), validEdges())})
	id := res.Body["id"].(string)
	run := h.do(http.MethodPost, "/api/v1/flows/"+id+"/test-run", acme.Token, map[string]any{"payload": map[string]any{"order_number": "10234", "total": 250}})
	if run.Status != http.StatusOK || run.Body["status"] != "succeeded" {
		t.Fatalf("test run: %d %s", run.Status, run.Raw)
	}
	outputs := map[string]any{}
	ports := map[string]any{}
	for _, s := range run.Body["steps"].([]any) {
		m := s.(map[string]any)
		outputs[m["node_id"].(string)] = m["output"]
		ports[m["node_id"].(string)] = m["port"]
	}
	if shape, _ := json.Marshal(outputs["shape"]); string(shape) != `{"po":"10234","total":250}` {
		t.Errorf("map output = %s", shape)
	}
	if ports["big"] != "true" {
		t.Errorf("condition took port %v, want true", ports["big"])
	}
	if n := h.do(http.MethodGet, "/api/v1/runs", acme.Token, nil); n.Body["total"].(float64) != 0 {
		t.Errorf("a test run stored a run: %s", n.Raw)
	}
}

// The flows list shows each flow's newest run and its runs finished and
// failed in the last 24 hours, counting the caller's tenant's runs only; a
// flow that never ran has no last run and zero counts.
func TestFlowListLastRunAndErrorRate(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		h := newHarnessWith(t, dialect, 2)
		acme, globex := h.tenant("acme"), h.tenant("globex")
		// Orders over 100 pass, the rest fail.
		def := flowDoc([]map[string]any{
			openHook(),
			node("big", "condition", map[string]any{"expression": "input.total > 100"}),
			node("accept", "map", map[string]any{"jq": "{po: .order_number}"}),
			node("reject", "fail", map[string]any{"message": "order too small"}),
		}, []map[string]any{edge("hook", "big", ""), edge("big", "accept", "true"), edge("big", "reject", "false")})
		run := func(f tenantFixture, hookID, order string, total int) map[string]any {
			t.Helper()
			res := h.postHook(hookID, []byte(`{"order_number":"`+order+`","total":`+strconv.Itoa(total)+`}`), "", "")
			if res.Status != http.StatusAccepted {
				t.Fatalf("webhook %s: %d %s", order, res.Status, res.Raw)
			}
			return h.waitRun(f.Token, res.Body["run_id"].(string)).Body["run"].(map[string]any)
		}
		intake, intakeHook := h.publishFlow(acme.Token, "Order intake", def)
		quiet, _ := h.publishFlow(acme.Token, "Quiet", def)
		theirs, theirHook := h.publishFlow(globex.Token, "Their intake", def)
		for i, total := range []int{500, 20, 300, 250} {
			run(acme, intakeHook, "A"+strconv.Itoa(i), total)
		}
		last := run(acme, intakeHook, "A-last", 5)
		if last["status"] != "failed" {
			t.Fatalf("the last run should fail: %v", last)
		}
		for i := range 3 {
			run(globex, theirHook, "G"+strconv.Itoa(i), 1)
		}

		byID := func(f tenantFixture) map[string]map[string]any {
			t.Helper()
			res := h.do(http.MethodGet, "/api/v1/flows", f.Token, nil)
			if res.Status != http.StatusOK {
				t.Fatalf("list flows: %d %s", res.Status, res.Raw)
			}
			out := map[string]map[string]any{}
			for _, f := range res.Body["flows"].([]any) {
				m := f.(map[string]any)
				out[m["id"].(string)] = m
			}
			return out
		}
		mine := byID(acme)
		if len(mine) != 2 {
			t.Fatalf("acme sees %d flows, want 2: %v", len(mine), mine)
		}
		got := mine[intake]
		if got["finished_24h"] != 5.0 || got["failed_24h"] != 2.0 {
			t.Errorf("intake counts: finished %v, failed %v; want 5 and 2", got["finished_24h"], got["failed_24h"])
		}
		lr, _ := got["last_run"].(map[string]any)
		if lr == nil || lr["id"] != last["id"] || lr["status"] != "failed" || lr["finished_at"] == nil || lr["started_at"] == nil || lr["created_at"] != last["created_at"] {
			t.Errorf("intake last_run %v, want the failed run %v", lr, last)
		}
		if q := mine[quiet]; q["last_run"] != nil || q["finished_24h"] != 0.0 || q["failed_24h"] != 0.0 {
			t.Errorf("a flow that never ran: %v", q)
		}
		if _, ok := mine[theirs]; ok {
			t.Errorf("acme sees globex's flow")
		}
		their := byID(globex)[theirs]
		if their["finished_24h"] != 3.0 || their["failed_24h"] != 3.0 || their["last_run"] == nil {
			t.Errorf("globex's own counts: %v", their)
		}
	})
}
