package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/riverqueue/river"
	"go.opentelemetry.io/otel/trace"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/builtin"
	"github.com/bridgework/bridgework/connectors/httpx"
	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/alert"
	"github.com/bridgework/bridgework/internal/approval"
	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/internal/batch"
	"github.com/bridgework/bridgework/internal/connections"
	"github.com/bridgework/bridgework/internal/netguard"
	"github.com/bridgework/bridgework/internal/outbound"
	"github.com/bridgework/bridgework/internal/pan"
	"github.com/bridgework/bridgework/internal/plans"
	"github.com/bridgework/bridgework/internal/queue"
	"github.com/bridgework/bridgework/internal/runner"
	"github.com/bridgework/bridgework/internal/secret"
	"github.com/bridgework/bridgework/internal/telemetry"
	"github.com/bridgework/bridgework/mapping/llm"
	"github.com/bridgework/bridgework/nodes"
	"github.com/bridgework/bridgework/server"
	"github.com/bridgework/bridgework/store"
	"github.com/bridgework/bridgework/web"
)

// Options configure Assemble.
type Options struct {
	Tokens       *auth.Tokens
	Box          *secret.Box
	AdminToken   string
	PublicURL    string
	MaxBodyBytes int
	// Workers is how many runs this process works at once; 0 makes an
	// API-only process that enqueues but never works jobs.
	Workers int
	// HealthOnly serves only /healthz, /readyz and /metrics over HTTP: a
	// worker process, which has no API routes.
	HealthOnly bool
	// PollOnly makes the queue poll for new jobs instead of listening (see
	// queue.Config).
	PollOnly bool
	// JobTimeout bounds one execution of a run (see queue.Config).
	JobTimeout time.Duration
	// WorkerID names this process's worker stably across restarts (queue.Config.ID).
	WorkerID string
	// MaxBacklog: webhooks answer 503 beyond this many waiting runs; 0: no limit.
	MaxBacklog int
	// FetchCooldown and FetchPollInterval tune how fast workers pick up jobs.
	FetchCooldown, FetchPollInterval time.Duration
	// LeanSteps keeps step inputs in run history only for failed steps.
	LeanSteps bool
	// EnqueueBatch bounds the runs committed in one grouped transaction; 0: 256.
	EnqueueBatch int
	// LLM optionally reranks mapping suggestions; zero: off.
	LLM llm.Config
	// HTTPClient makes the http node's, the connectors' and the alert
	// channels' outbound requests. nil builds one guarded by netguard: no
	// loopback, private, link-local or metadata addresses unless listed in
	// OutboundAllow or in the tenant's outbound_allow.
	HTTPClient *http.Client
	// OutboundAllow lists the CIDRs, addresses and host names every
	// tenant's outbound requests may reach despite the guard, in addition to
	// each tenant's own outbound_allow.
	OutboundAllow []string
	// Notifier hears of approval requests, reminders and decisions; nil sends
	// them to the channels of the tenant's "approvals" alert rules.
	Notifier approval.Notifier
	Logger   *slog.Logger
	// Tracer, when set, traces webhooks, runs, steps and connector calls and
	// sends traceparent on outbound requests; nil: tracing off.
	Tracer trace.TracerProvider
	// MetricsToken, when set, serves GET /metrics to that bearer token.
	MetricsToken string
	// SMTP is the relay alert e-mails go through.
	SMTP alert.SMTP
	// Now replaces the clock of alert evaluation and of metric sampling in tests.
	Now func() time.Time
}

// Parts are the components of a process built on an open store.
type Parts struct {
	Queue     *queue.Client
	Plans     *plans.Compiler
	Enqueuer  *runner.Enqueuer
	Server    *server.Server
	Telemetry *telemetry.Telemetry
	Alerts    *alert.Evaluator
}

// planCacheSize bounds the compiled plans kept in memory per process.
const planCacheSize = 2000

// Assemble wires the engine, the queue and its workers, and the HTTP server
// on st. Start the queue (Parts.Queue.Start) to work jobs.
func Assemble(st *store.Store, o Options) (*Parts, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	o.Logger = slog.New(pan.LogHandler(o.Logger.Handler()))
	allowLists := &outbound.Lists{Store: st}
	if o.HTTPClient == nil {
		guard, err := netguard.New(netguard.Options{Allow: o.OutboundAllow, TenantAllow: allowLists.Allow})
		if err != nil {
			return nil, fmt.Errorf("outbound allow-list (BRIDGEWORK_OUTBOUND_ALLOW): %w", err)
		}
		o.HTTPClient = guard.Client(60 * time.Second)
	}
	if o.Tracer != nil {
		traced := *o.HTTPClient
		traced.Transport = telemetry.Transport(traced.Transport)
		o.HTTPClient = &traced
	}
	var depths func(context.Context) ([]queue.Depth, error) // set once the queue exists
	tel := telemetry.New(telemetry.Options{Store: st, Tracer: o.Tracer, Logger: o.Logger, Now: o.Now,
		Depths: func(ctx context.Context) ([]queue.Depth, error) { return depths(ctx) }})
	notifier := &alert.Notifier{HTTPClient: o.HTTPClient, SMTP: o.SMTP}
	alerts := &alert.Evaluator{Store: st, Logger: o.Logger, Now: o.Now, Notifier: notifier}
	registry := engine.NewRegistry()
	if o.Notifier == nil {
		o.Notifier = &alert.ApprovalNotifier{Store: st, Notifier: notifier, Now: o.Now}
	}
	approvals := &approval.Service{Store: st, Notifier: o.Notifier, Logger: o.Logger}
	batches := &batch.Service{Store: st}
	nodes.Register(registry, nodes.Deps{HTTPClient: o.HTTPClient, Approvals: approvals, Batches: batches})
	connRegistry := builtin.Registry()
	conns := &connections.Service{
		Store: st, Box: o.Box, Registry: connRegistry,
		Invoker: connectors.NewInvoker(connRegistry, connectors.Env{
			Limiters: &httpx.Limiters{OnWait: tel.RateLimitWait}, Transport: o.HTTPClient.Transport, Logger: o.Logger,
			Calls: tel,
		}),
	}
	compiler := plans.New(registry, conns.For, planCacheSize)

	// The enqueuer needs the queue client, and the client needs its workers,
	// one of which enqueues: the client is set once it exists.
	enq := &runner.Enqueuer{Store: st, Plans: compiler, GroupMax: o.EnqueueBatch}
	batches.Enqueuer = enq
	workers := queue.NewWorkers()
	river.AddWorker(workers, &runner.Worker{Store: st, Plans: compiler, Logger: o.Logger, LeanSteps: o.LeanSteps, Schemas: &runner.Schemas{Store: st}, Telemetry: tel})
	river.AddWorker(workers, &runner.TickWorker{Enqueuer: enq, Logger: o.Logger})
	river.AddWorker(workers, &runner.PruneWorker{Store: st, Logger: o.Logger})
	river.AddWorker(workers, &approval.WakeWorker{Service: approvals})
	river.AddWorker(workers, &batch.SweepWorker{Service: batches, Logger: o.Logger})
	river.AddWorker(workers, &alert.EvaluateWorker{Evaluator: alerts})
	cfg := queue.Config{Workers: o.Workers, FetchCooldown: o.FetchCooldown, FetchPollInterval: o.FetchPollInterval,
		JobTimeout: o.JobTimeout, ID: o.WorkerID, PollOnly: o.PollOnly, Logger: o.Logger}
	if o.Workers > 0 {
		cfg.PeriodicJobs = []*river.PeriodicJob{runner.TickJob(), runner.PruneJob(), batch.SweepJob(), alert.EvaluateJob()}
	}
	q, err := queue.New(st, workers, cfg)
	if err != nil {
		return nil, err
	}
	enq.Queue = q
	approvals.Queue = q
	depths = q.Depths

	srv := server.New(server.Deps{
		Store: st, Queue: q, Plans: compiler, Connections: conns, Enqueuer: enq, Tokens: o.Tokens, Box: o.Box,
		AdminToken: o.AdminToken, PublicURL: o.PublicURL, MaxBodyBytes: o.MaxBodyBytes, Logger: o.Logger,
		WebApp: web.Dist(), MaxBacklog: o.MaxBacklog, Approvals: approvals, Telemetry: tel, MetricsToken: o.MetricsToken,
		HealthOnly: o.HealthOnly, OutboundAllow: allowLists,
	})
	if c := llm.New(o.LLM); c != nil {
		srv.Reranker = c // only a live client: a nil *llm.Client would not be a nil interface
	}
	return &Parts{Queue: q, Plans: compiler, Enqueuer: enq, Server: srv, Telemetry: tel, Alerts: alerts}, nil
}
