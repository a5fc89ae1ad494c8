package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/bridgework/bridgework/internal/app"
	"github.com/bridgework/bridgework/internal/testdb"
)

const metricsToken = "test-metrics-token-0123456789"

// scrape reads /metrics and returns each sample's value by its series
// name with sorted labels, for example
// bridgework_runs_started_total{flow="…",tenant="…"}; histograms
// contribute their _count series.
func (h *harness) scrape() map[string]float64 {
	h.t.Helper()
	res := h.do(http.MethodGet, "/metrics", metricsToken, nil)
	if res.Status != http.StatusOK {
		h.t.Fatalf("GET /metrics: %d %s", res.Status, res.Raw)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(res.Raw))
	if err != nil {
		h.t.Fatalf("metrics are not in the text format: %v", err)
	}
	out := map[string]float64{}
	for name, fam := range families {
		for _, m := range fam.GetMetric() {
			labels := model.LabelSet{}
			for _, l := range m.GetLabel() {
				labels[model.LabelName(l.GetName())] = model.LabelValue(l.GetValue())
			}
			suffix := ""
			if len(labels) > 0 {
				suffix = labels.String()
			}
			key := name + suffix
			switch {
			case m.Counter != nil:
				out[key] = m.Counter.GetValue()
			case m.Gauge != nil:
				out[key] = m.Gauge.GetValue()
			case m.Histogram != nil:
				out[name+"_count"+suffix] = float64(m.Histogram.GetSampleCount())
			default:
				out[key] = 0
			}
		}
	}
	return out
}

func TestMetricsTrackRuns(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		var clock atomic.Int64 // minutes ahead of real time: moving it makes the next scrape sample the database
		h := newHarnessOpts(t, dialect, func(o *app.Options) {
			o.Workers, o.MetricsToken = 2, metricsToken
			o.Now = func() time.Time { return time.Now().Add(time.Duration(clock.Load()) * time.Minute) }
		})
		acme := h.tenant("acme")
		if r := h.do(http.MethodGet, "/metrics", "", nil); r.Status != http.StatusUnauthorized {
			t.Errorf("metrics without a token: %d, want 401", r.Status)
		}
		if r := h.do(http.MethodGet, "/metrics", acme.Token, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("metrics with a tenant token: %d, want 401", r.Status)
		}
		okFlow, okHook := h.publishFlow(acme.Token, "ok", flowDoc([]map[string]any{openHook(),
			node("shape", "map", map[string]any{"jq": "{po: .order_number}"})}, []map[string]any{edge("hook", "shape", "")}))
		badFlow, badHook := h.publishFlow(acme.Token, "bad", flowDoc([]map[string]any{openHook(),
			node("stop", "fail", map[string]any{"message": "no customer"})}, []map[string]any{edge("hook", "stop", "")}))

		series := func(name, flow string) string {
			return fmt.Sprintf(`%s{flow="%s", tenant="%s"}`, name, flow, acme.ID)
		}
		before := h.scrape()
		if v, ok := before[series("bridgework_runs_started_total", okFlow)]; ok {
			t.Fatalf("runs counted before any ran: %v", v)
		}
		for _, hook := range []string{okHook, badHook} {
			res := h.postHook(hook, []byte(`{"order_number":"1"}`), "", "")
			if res.Status != http.StatusAccepted {
				t.Fatalf("webhook: %d %s", res.Status, res.Raw)
			}
			h.waitRun(acme.Token, res.Body["run_id"].(string))
		}
		clock.Add(1)
		// The run's metrics are recorded when its job returns, just after the
		// run row settles: poll briefly.
		var after map[string]float64
		deadline := time.Now().Add(10 * time.Second)
		for after = h.scrape(); after[series("bridgework_runs_failed_total", badFlow)] == 0 && time.Now().Before(deadline); after = h.scrape() {
			time.Sleep(20 * time.Millisecond)
		}
		want := map[string]float64{
			series("bridgework_runs_started_total", okFlow):                             1,
			series("bridgework_runs_completed_total", okFlow):                           1,
			series("bridgework_runs_started_total", badFlow):                            1,
			series("bridgework_runs_failed_total", badFlow):                             1,
			`bridgework_step_duration_seconds_count{node_type="map", outcome="ok"}`:     1,
			`bridgework_step_duration_seconds_count{node_type="fail", outcome="error"}`: 1,
			`bridgework_webhook_duration_seconds_count{code="2xx"}`:                     2,
		}
		for k, v := range want {
			if after[k] != v {
				t.Errorf("%s = %v, want %v", k, after[k], v)
			}
		}
		if _, ok := after[series("bridgework_runs_failed_total", okFlow)]; ok {
			t.Errorf("a failure was counted for the succeeding flow")
		}
		if got := after[fmt.Sprintf(`bridgework_dead_letters{tenant="%s"}`, acme.ID)]; got != 1 {
			t.Errorf("dead letters of the tenant = %v, want 1", got)
		}
		if _, ok := after["go_goroutines"]; !ok {
			t.Errorf("Go runtime metrics are missing")
		}
	})
}

func TestMetricsNeedAToken(t *testing.T) {
	h := newHarness(t, "sqlite")
	if r := h.do(http.MethodGet, "/metrics", metricsToken, nil); r.Status != http.StatusNotFound {
		t.Errorf("metrics without BRIDGEWORK_METRICS_TOKEN: %d, want 404", r.Status)
	}
}

func TestTraceFollowsWebhookIntoRun(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { tp.Shutdown(t.Context()) })
	h := newHarnessOpts(t, "sqlite", func(o *app.Options) { o.Workers = 2; o.Tracer = tp })
	acme := h.tenant("acme")
	parents := make(chan string, 1)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parents <- r.Header.Get("traceparent")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	t.Cleanup(target.Close)
	_, hook := h.publishFlow(acme.Token, "traced", flowDoc([]map[string]any{openHook(),
		node("send", "http", map[string]any{"method": "POST", "url": target.URL, "body": "."})},
		[]map[string]any{edge("hook", "send", "")}))
	res := h.postHook(hook, []byte(`{"order_number":"7"}`), "", "")
	if res.Status != http.StatusAccepted {
		t.Fatalf("webhook: %d %s", res.Status, res.Raw)
	}
	runID := res.Body["run_id"].(string)
	h.waitRun(acme.Token, runID)

	byName := map[string]tracetest.SpanStub{}
	deadline := time.Now().Add(10 * time.Second)
	for byName["run"].Name == "" && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		for _, s := range exp.GetSpans() {
			byName[s.Name] = s
		}
	}
	hookSpan, runSpan, stepSpan := byName["webhook"], byName["run"], byName["step send"]
	if hookSpan.Name == "" || runSpan.Name == "" || stepSpan.Name == "" {
		t.Fatalf("spans = %v, want webhook, run and step send", keys(byName))
	}
	trace := hookSpan.SpanContext.TraceID()
	if runSpan.SpanContext.TraceID() != trace || stepSpan.SpanContext.TraceID() != trace {
		t.Errorf("the run's spans are not in the webhook's trace")
	}
	if runSpan.Parent.SpanID() != hookSpan.SpanContext.SpanID() {
		t.Errorf("run span's parent is %s, want the webhook span", runSpan.Parent.SpanID())
	}
	if stepSpan.Parent.SpanID() != runSpan.SpanContext.SpanID() {
		t.Errorf("step span's parent is %s, want the run span", stepSpan.Parent.SpanID())
	}
	attrs := map[string]string{}
	for _, a := range runSpan.Attributes {
		attrs[string(a.Key)] = a.Value.Emit()
	}
	if attrs["bridgework.run_id"] != runID || attrs["bridgework.tenant_id"] != acme.ID {
		t.Errorf("run span attributes = %v, want run and tenant ids", attrs)
	}
	select {
	case tp := <-parents:
		want := fmt.Sprintf("00-%s-%s-", trace, stepSpan.SpanContext.SpanID())
		if !strings.HasPrefix(tp, want) {
			t.Errorf("outbound traceparent = %q, want prefix %q", tp, want)
		}
	default:
		t.Fatal("the http node's request never reached the target")
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestAlertRulesAPI(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect)
		acme, other := h.tenant("acme"), h.tenant("other")
		flowID, _ := h.publishFlow(acme.Token, "orders", flowDoc([]map[string]any{openHook()}, nil))

		bad := h.do(http.MethodPost, "/api/v1/alert-rules", acme.Token, map[string]any{
			"name": "x", "kind": "no_runs", "window_seconds": 10, "channels": []any{map[string]any{"type": "pager"}}})
		fields := map[string]bool{}
		for _, p := range problems(t, bad) {
			fields[p.Field] = true
		}
		if bad.Status != http.StatusBadRequest || !fields["flow_id"] || !fields["window_seconds"] || !fields["channels[0].type"] {
			t.Fatalf("invalid rule: %d %s, want 400 naming flow_id, window_seconds and channels[0].type", bad.Status, bad.Raw)
		}
		unknownFlow := h.do(http.MethodPost, "/api/v1/alert-rules", acme.Token, map[string]any{
			"name": "x", "kind": "no_runs", "flow_id": "nope", "window_seconds": 600,
			"channels": []any{map[string]any{"type": "webhook", "url": "http://127.0.0.1:1/x"}}})
		if unknownFlow.Status != http.StatusBadRequest {
			t.Errorf("rule on an unknown flow: %d, want 400", unknownFlow.Status)
		}

		rule := map[string]any{"name": "orders silent", "kind": "no_runs", "flow_id": flowID, "window_seconds": 900,
			"channels": []any{map[string]any{"type": "slack", "url": "http://127.0.0.1:1/slack"}}}
		created := h.do(http.MethodPost, "/api/v1/alert-rules", acme.Token, rule)
		if created.Status != http.StatusCreated || created.Body["state"] != "ok" || created.Body["repeat_seconds"].(float64) != 4*3600 {
			t.Fatalf("create rule: %d %s", created.Status, created.Raw)
		}
		id := created.Body["id"].(string)
		path := "/api/v1/alert-rules/" + id
		if r := h.do(http.MethodGet, path, other.Token, nil); r.Status != http.StatusNotFound {
			t.Errorf("another tenant reads the rule: %d, want 404", r.Status)
		}
		rule["window_seconds"] = 1800
		rule["enabled"] = false
		if r := h.do(http.MethodPut, path, acme.Token, rule); r.Status != http.StatusOK || r.Body["window_seconds"].(float64) != 1800 || r.Body["enabled"] != false {
			t.Errorf("update rule: %d %s", r.Status, r.Raw)
		}
		until := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
		silenced := h.do(http.MethodPost, path+"/silence", acme.Token, map[string]any{"until": until})
		if silenced.Status != http.StatusOK || silenced.Body["silenced_until"] == nil {
			t.Errorf("silence rule: %d %s", silenced.Status, silenced.Raw)
		}
		if r := h.do(http.MethodGet, "/api/v1/alert-rules", acme.Token, nil); len(r.Body["alert_rules"].([]any)) != 1 {
			t.Errorf("list rules: %s", r.Raw)
		}
		if r := h.do(http.MethodGet, "/api/v1/alert-rules", other.Token, nil); len(r.Body["alert_rules"].([]any)) != 0 {
			t.Errorf("another tenant lists the rule: %s", r.Raw)
		}
		if r := h.do(http.MethodGet, "/api/v1/alerts?rule_id="+id, acme.Token, nil); r.Status != http.StatusOK || len(r.Body["alerts"].([]any)) != 0 {
			t.Errorf("alert history: %d %s", r.Status, r.Raw)
		}
		if r := h.do(http.MethodDelete, path, other.Token, nil); r.Status != http.StatusNotFound {
			t.Errorf("another tenant deletes the rule: %d, want 404", r.Status)
		}
		if r := h.do(http.MethodDelete, path, acme.Token, nil); r.Status != http.StatusNoContent {
			t.Errorf("delete rule: %d %s", r.Status, r.Raw)
		}
		if r := h.do(http.MethodGet, path, acme.Token, nil); r.Status != http.StatusNotFound {
			t.Errorf("deleted rule: %d, want 404", r.Status)
		}
	})
}

func TestStatsSummary(t *testing.T) {
	h := newHarnessWith(t, "sqlite", 2)
	acme := h.tenant("acme")
	_, okHook := h.publishFlow(acme.Token, "ok", flowDoc([]map[string]any{openHook(),
		node("shape", "map", map[string]any{"jq": "."})}, []map[string]any{edge("hook", "shape", "")}))
	_, badHook := h.publishFlow(acme.Token, "bad", flowDoc([]map[string]any{openHook(),
		node("stop", "fail", map[string]any{"message": "no"})}, []map[string]any{edge("hook", "stop", "")}))
	for _, hook := range []string{okHook, okHook, badHook} {
		res := h.postHook(hook, []byte(`{"order_number":"1"}`), "", "")
		h.waitRun(acme.Token, res.Body["run_id"].(string))
	}
	if r := h.do(http.MethodGet, "/api/v1/stats/summary?window=1s", acme.Token, nil); r.Status != http.StatusBadRequest {
		t.Errorf("too short a window: %d, want 400", r.Status)
	}
	r := h.do(http.MethodGet, "/api/v1/stats/summary?window=1h", acme.Token, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("summary: %d %s", r.Status, r.Raw)
	}
	totals := r.Body["totals"].(map[string]any)
	if totals["runs"].(float64) != 3 || totals["failed"].(float64) != 1 || totals["dead_letters"].(float64) != 1 {
		t.Errorf("totals = %v, want 3 runs, 1 failed, 1 dead letter", totals)
	}
	series := r.Body["series"].([]any)
	sum := 0.0
	for _, b := range series {
		m := b.(map[string]any)
		sum += m["succeeded"].(float64) + m["failed"].(float64)
	}
	if len(series) != 60 || sum != 3 || r.Body["bucket_seconds"].(float64) != 60 {
		t.Errorf("series has %d buckets holding %v runs, want 60 one-minute buckets holding 3", len(series), sum)
	}
	flows := r.Body["flows"].([]any)
	if len(flows) != 2 || flows[0].(map[string]any)["runs"].(float64) != 2 {
		t.Errorf("flows = %v, want the two-run flow first", flows)
	}
	types := map[string]map[string]any{}
	for _, n := range r.Body["node_types"].([]any) {
		m := n.(map[string]any)
		types[m["node_type"].(string)] = m
	}
	if types["fail"]["error_rate"] != 1.0 || types["map"]["error_rate"] != 0.0 {
		t.Errorf("node types = %v, want fail at 1.0 and map at 0", types)
	}
}
