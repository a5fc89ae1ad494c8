// Package telemetry measures and traces a Bridgework process: Prometheus
// metrics on a private registry and OpenTelemetry spans, behind hooks the
// runner, the engine, the connectors and the server call. Every method is
// safe on a nil *Telemetry, which measures nothing.
package telemetry

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/bridgework/bridgework/internal/queue"
	"github.com/bridgework/bridgework/store"
)

// Options configure New.
type Options struct {
	// Store and Depths (queue.Client.Depths) are sampled for dead letters
	// and queue depths; nil leaves those metrics out.
	Store  *store.Store
	Depths func(context.Context) ([]queue.Depth, error)
	// Tracer makes spans; nil turns tracing off.
	Tracer trace.TracerProvider
	// MaxTenants and MaxFlowsPerTenant bound the tenant and flow labels;
	// 0 means the defaults.
	MaxTenants, MaxFlowsPerTenant int
	Logger                        *slog.Logger
	// Now replaces the clock deciding when database samples are stale
	// (tests); nil means time.Now.
	Now func() time.Time
}

// Telemetry is a process's metrics and tracer.
type Telemetry struct {
	m      *metrics
	labels *labelCap
	tracer trace.Tracer
}

// New builds the instruments.
func New(o Options) *Telemetry {
	if o.MaxTenants <= 0 {
		o.MaxTenants = DefaultMaxTenants
	}
	if o.MaxFlowsPerTenant <= 0 {
		o.MaxFlowsPerTenant = DefaultMaxFlowsPerTenant
	}
	if o.Tracer == nil {
		o.Tracer = noop.NewTracerProvider()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	t := &Telemetry{m: newMetrics(), labels: newLabelCap(o.MaxTenants, o.MaxFlowsPerTenant),
		tracer: o.Tracer.Tracer("github.com/bridgework/bridgework")}
	t.m.reg.MustRegister(&sampler{store: o.Store, depths: o.Depths, labels: t.labels, logger: o.Logger, now: o.Now})
	return t
}

// Handler serves the metrics in the Prometheus text format.
func (t *Telemetry) Handler() http.Handler {
	if t == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(t.m.reg, promhttp.HandlerOpts{})
}

// Run identifies a run being executed.
type Run struct {
	TenantID, FlowID, RunID string
	// First is true for the execution that starts the run's first attempt.
	First bool
}

// Run outcomes passed to the function StartRun returns.
const (
	OutcomeSucceeded = "succeeded"
	OutcomeFailed    = "failed"  // for good
	OutcomePending   = "pending" // retried or waiting: the run goes on later
)

// StartRun opens the span of one execution of a run (a child of the trace
// the run's trigger started, when ctx carries it) and counts a started run.
// Call end with the outcome.
func (t *Telemetry) StartRun(ctx context.Context, r Run) (_ context.Context, end func(outcome string)) {
	if t == nil {
		return ctx, func(string) {}
	}
	tenant, flow := t.labels.pair(r.TenantID, r.FlowID)
	if r.First {
		t.m.runsStarted.WithLabelValues(tenant, flow).Inc()
	}
	ctx, span := t.tracer.Start(ctx, "run", trace.WithAttributes(
		AttrTenant.String(r.TenantID), AttrFlow.String(r.FlowID), AttrRun.String(r.RunID)))
	return ctx, func(outcome string) {
		switch outcome {
		case OutcomeSucceeded:
			t.m.runsSucceeded.WithLabelValues(tenant, flow).Inc()
		case OutcomeFailed:
			t.m.runsFailed.WithLabelValues(tenant, flow).Inc()
			span.SetStatus(codes.Error, "run failed")
		}
		span.SetAttributes(attribute.String("bridgework.outcome", outcome))
		span.End()
	}
}

// StartStep times one node run and opens its span (engine.StepHook).
func (t *Telemetry) StartStep(ctx context.Context, nodeID, nodeType string) (context.Context, func(error)) {
	if t == nil {
		return ctx, func(error) {}
	}
	start := time.Now()
	ctx, span := t.tracer.Start(ctx, "step "+nodeID, trace.WithAttributes(
		attribute.String("bridgework.node_id", nodeID), attribute.String("bridgework.node_type", nodeType)))
	return ctx, func(err error) {
		outcome := "ok"
		if err != nil {
			outcome = "error"
			span.SetStatus(codes.Error, err.Error())
		}
		t.m.stepDuration.WithLabelValues(nodeType, outcome).Observe(time.Since(start).Seconds())
		span.End()
	}
}

// StartCall times one connector operation and opens its span
// (connectors.CallHook).
func (t *Telemetry) StartCall(ctx context.Context, system, operation string) (context.Context, func(error)) {
	if t == nil {
		return ctx, func(error) {}
	}
	start := time.Now()
	ctx, span := t.tracer.Start(ctx, system+"."+operation, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
		attribute.String("bridgework.system", system), attribute.String("bridgework.operation", operation)))
	return ctx, func(err error) {
		t.m.connCalls.WithLabelValues(system, operation).Inc()
		if err != nil {
			t.m.connErrors.WithLabelValues(system, operation).Inc()
			span.SetStatus(codes.Error, err.Error())
		}
		t.m.connDuration.WithLabelValues(system, operation).Observe(time.Since(start).Seconds())
		span.End()
	}
}

// StartWebhook times the answer to an inbound webhook and opens the span
// that roots the trace of the run it starts. Call end with the status.
func (t *Telemetry) StartWebhook(ctx context.Context, hookID string) (context.Context, func(status int)) {
	if t == nil {
		return ctx, func(int) {}
	}
	start := time.Now()
	ctx, span := t.tracer.Start(ctx, "webhook", trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("bridgework.hook_id", hookID)))
	return ctx, func(status int) {
		t.m.webhook.WithLabelValues(strconv.Itoa(status/100) + "xx").Observe(time.Since(start).Seconds())
		span.SetAttributes(attribute.Int("http.response.status_code", status))
		if status >= 500 {
			span.SetStatus(codes.Error, http.StatusText(status))
		}
		span.End()
	}
}

// RateLimitWait counts a wait for a connection's rate limit
// (httpx.Limiters.OnWait).
func (t *Telemetry) RateLimitWait(_ string, d time.Duration) {
	if t == nil {
		return
	}
	t.m.rateWaits.Inc()
	t.m.rateWaitTime.Add(d.Seconds())
}
