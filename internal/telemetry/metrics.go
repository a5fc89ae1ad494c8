package telemetry

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// durationBuckets suit steps, connector calls and webhook answers: 5ms to 2m.
var durationBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120}

// metrics are the process's Prometheus instruments, on a private registry.
type metrics struct {
	reg           *prometheus.Registry
	runsStarted   *prometheus.CounterVec
	runsSucceeded *prometheus.CounterVec
	runsFailed    *prometheus.CounterVec
	stepDuration  *prometheus.HistogramVec
	webhook       *prometheus.HistogramVec
	connCalls     *prometheus.CounterVec
	connErrors    *prometheus.CounterVec
	connDuration  *prometheus.HistogramVec
	rateWaits     prometheus.Counter
	rateWaitTime  prometheus.Counter
}

func newMetrics() *metrics {
	runLabels := []string{"tenant", "flow"}
	m := &metrics{
		reg: prometheus.NewRegistry(),
		runsStarted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bridgework_runs_started_total", Help: "Runs whose first attempt started."}, runLabels),
		runsSucceeded: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bridgework_runs_completed_total", Help: "Runs that finished successfully."}, runLabels),
		runsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bridgework_runs_failed_total", Help: "Runs that failed for good (dead letters when not replayed)."}, runLabels),
		stepDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "bridgework_step_duration_seconds", Help: "Time one node took to run, by node type and outcome (ok or error).",
			Buckets: durationBuckets}, []string{"node_type", "outcome"}),
		webhook: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "bridgework_webhook_duration_seconds", Help: "Time to answer an inbound webhook, by status class (2xx, 4xx, 5xx).",
			Buckets: durationBuckets}, []string{"code"}),
		connCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bridgework_connector_calls_total", Help: "Connector operations run."}, []string{"system", "operation"}),
		connErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bridgework_connector_errors_total", Help: "Connector operations that returned an error."}, []string{"system", "operation"}),
		connDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "bridgework_connector_call_duration_seconds", Help: "Time one connector operation took, retries and rate-limit waits included.",
			Buckets: durationBuckets}, []string{"system", "operation"}),
		rateWaits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "bridgework_rate_limit_waits_total", Help: "Outbound requests delayed by a connection's rate limit."}),
		rateWaitTime: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "bridgework_rate_limit_wait_seconds_total", Help: "Time spent waiting for connections' rate limits."}),
	}
	m.reg.MustRegister(m.runsStarted, m.runsSucceeded, m.runsFailed, m.stepDuration, m.webhook,
		m.connCalls, m.connErrors, m.connDuration, m.rateWaits, m.rateWaitTime,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
