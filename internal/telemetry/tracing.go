package telemetry

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Span attribute keys Bridgework sets.
const (
	AttrTenant = attribute.Key("bridgework.tenant_id")
	AttrFlow   = attribute.Key("bridgework.flow_id")
	AttrRun    = attribute.Key("bridgework.run_id")
)

// propagator carries W3C trace context (traceparent, tracestate).
var propagator = propagation.TraceContext{}

// NewOTLPProvider returns a tracer provider exporting spans in batches to
// an OTLP/HTTP collector at endpoint: a base URL (http://collector:4318)
// gets the standard /v1/traces path, a URL with a path is used as is. Shut
// it down on exit to flush the last spans.
func NewOTLPProvider(ctx context.Context, endpoint string) (*sdktrace.TracerProvider, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("tracing: otlp endpoint %q: %w", endpoint, err)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/v1/traces"
	}
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(u.String()))
	if err != nil {
		return nil, fmt.Errorf("tracing: otlp exporter: %w", err)
	}
	res := resource.NewSchemaless(attribute.String("service.name", "bridgework"))
	return sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res)), nil
}

// TraceParent returns the W3C traceparent of the span in ctx ("" without
// one), for carrying a trace into a queued job.
func TraceParent(ctx context.Context) string {
	c := propagation.MapCarrier{}
	propagator.Inject(ctx, c)
	return c["traceparent"]
}

// WithTraceParent returns ctx continuing the trace a traceparent names.
func WithTraceParent(ctx context.Context, traceparent string) context.Context {
	if traceparent == "" {
		return ctx
	}
	return propagator.Extract(ctx, propagation.MapCarrier{"traceparent": traceparent})
}

// Annotate adds the tenant and run to the span in ctx.
func Annotate(ctx context.Context, tenantID, runID string) {
	trace.SpanFromContext(ctx).SetAttributes(AttrTenant.String(tenantID), AttrRun.String(runID))
}

// Transport sends traceparent (and tracestate) with every outbound request
// made under a span, through next (http.DefaultTransport when nil).
func Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return propagating{next}
}

type propagating struct{ next http.RoundTripper }

// RoundTrip injects the trace context into a copy of the request's headers.
func (p propagating) RoundTrip(r *http.Request) (*http.Response, error) {
	if !trace.SpanContextFromContext(r.Context()).IsValid() {
		return p.next.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	propagator.Inject(r.Context(), propagation.HeaderCarrier(r.Header))
	return p.next.RoundTrip(r)
}
