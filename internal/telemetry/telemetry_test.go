package telemetry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestLabelCapBoundsTenantsAndFlows(t *testing.T) {
	t.Parallel()
	c := newLabelCap(2, 2)
	cases := []struct{ tenant, flow, wantTenant, wantFlow string }{
		{"t1", "f1", "t1", "f1"},
		{"t1", "f2", "t1", "f2"},
		{"t1", "f3", "t1", Other}, // third flow of t1
		{"t2", "f1", "t2", "f1"},
		{"t3", "f1", Other, Other}, // third tenant
		{"t1", "f1", "t1", "f1"},   // admitted ones keep their ids
	}
	for _, tc := range cases {
		if gt, gf := c.pair(tc.tenant, tc.flow); gt != tc.wantTenant || gf != tc.wantFlow {
			t.Errorf("pair(%s, %s) = %s, %s; want %s, %s", tc.tenant, tc.flow, gt, gf, tc.wantTenant, tc.wantFlow)
		}
	}
	if got := c.tenant("t4"); got != Other {
		t.Errorf("tenant(t4) = %s, want %s", got, Other)
	}
}

func TestConnectorCallIsAChildOfItsStep(t *testing.T) {
	t.Parallel()
	exp := tracetest.NewInMemoryExporter()
	tel := New(Options{Tracer: sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))})
	ctx, endRun := tel.StartRun(context.Background(), Run{TenantID: "t", FlowID: "f", RunID: "r", First: true})
	ctx, endStep := tel.StartStep(ctx, "order", "connector")
	_, endCall := tel.StartCall(ctx, "epicor", "create_sales_order")
	endCall(errors.New("epicor: create sales order: 400"))
	endStep(errors.New("failed"))
	endRun(OutcomeFailed)

	spans := map[string]tracetest.SpanStub{}
	for _, s := range exp.GetSpans() {
		spans[s.Name] = s
	}
	call, step, run := spans["epicor.create_sales_order"], spans["step order"], spans["run"]
	if call.Parent.SpanID() != step.SpanContext.SpanID() || step.Parent.SpanID() != run.SpanContext.SpanID() {
		t.Fatalf("spans are not nested run > step > call: %+v", spans)
	}
	rec := httptest.NewRecorder()
	tel.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`bridgework_connector_calls_total{operation="create_sales_order",system="epicor"} 1`,
		`bridgework_connector_errors_total{operation="create_sales_order",system="epicor"} 1`,
		`bridgework_runs_failed_total{flow="f",tenant="t"} 1`,
		`bridgework_step_duration_seconds_count{node_type="connector",outcome="error"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestNilTelemetryMeasuresNothing(t *testing.T) {
	t.Parallel()
	var tel *Telemetry
	ctx, end := tel.StartRun(context.Background(), Run{})
	_, endStep := tel.StartStep(ctx, "n", "map")
	endStep(nil)
	end(OutcomeSucceeded)
	tel.RateLimitWait("c", 0)
	rec := httptest.NewRecorder()
	tel.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 404 {
		t.Errorf("nil telemetry handler: %d, want 404", rec.Code)
	}
}

func TestOTLPProviderExportsToTheCollector(t *testing.T) {
	t.Parallel()
	paths := make(chan string, 10)
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths <- r.URL.Path
	}))
	t.Cleanup(collector.Close)
	tp, err := NewOTLPProvider(context.Background(), collector.URL)
	if err != nil {
		t.Fatal(err)
	}
	_, span := tp.Tracer("test").Start(context.Background(), "run")
	span.End()
	if err := tp.Shutdown(context.Background()); err != nil { // flushes synchronously
		t.Fatal(err)
	}
	select {
	case p := <-paths:
		if p != "/v1/traces" {
			t.Errorf("exported to %s, want /v1/traces", p)
		}
	default:
		t.Fatal("shutdown returned without exporting the span")
	}
}
