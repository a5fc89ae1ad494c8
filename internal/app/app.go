// Package app assembles a Bridgework process from its configuration: the
// store, the job queue, the HTTP server, and their orderly shutdown.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/bridgework/bridgework/internal/alert"
	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/internal/config"
	"github.com/bridgework/bridgework/internal/queue"
	"github.com/bridgework/bridgework/internal/secret"
	"github.com/bridgework/bridgework/internal/telemetry"
	"github.com/bridgework/bridgework/mapping/llm"
	"github.com/bridgework/bridgework/server"
	"github.com/bridgework/bridgework/store"
)

// App is a running Bridgework process.
type App struct {
	Config    *config.Config
	Store     *store.Store
	Queue     *queue.Client
	Server    *server.Server
	Telemetry *telemetry.Telemetry
	tracer    *sdktrace.TracerProvider // nil: tracing off
	logger    *slog.Logger
}

// OpenStore connects to the configured database and applies every migration
// (Bridgework's and River's).
func OpenStore(ctx context.Context, cfg *config.Config) (*store.Store, error) {
	db, err := config.ParseDatabaseURL(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, db, store.Options{MaxConns: cfg.DBMaxConns})
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// migrate applies River's migrations, then Bridgework's, while holding the
// migration lock: processes starting together migrate one after the other.
func migrate(ctx context.Context, st *store.Store) error {
	unlock, err := st.LockMigrations(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if err := queue.Migrate(ctx, st); err != nil {
		return err
	}
	_, err = st.Migrate(ctx)
	return err
}

// New builds the process: secrets, store (migrated), queue and server.
func New(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*App, error) {
	created, err := cfg.FillGenerated()
	if err != nil {
		return nil, err
	}
	for _, path := range created {
		logger.Info("generated a secret for the embedded database", slog.String("file", path))
	}
	if err := cfg.RequireServeSecrets(); err != nil {
		return nil, err
	}
	key, err := secret.ParseKey(cfg.SecretKey)
	if err != nil {
		return nil, fmt.Errorf("BRIDGEWORK_SECRET_KEY: %w", err)
	}
	box, err := secret.NewBox(key)
	if err != nil {
		return nil, err
	}
	st, err := OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	tokens := auth.NewTokens(cfg.JWTSecret, cfg.TokenTTL, cfg.JWTPreviousSecrets...)
	if cfg.JWKSURL != "" {
		tokens.UseJWKS(auth.NewJWKS(cfg.JWKSURL, cfg.JWKSIssuer, cfg.JWKSAudience, nil))
	}
	workers := cfg.Workers
	if !cfg.RunsJobs() {
		workers = 0 // an api process enqueues; workers run the jobs and schedules
	}
	opts := Options{
		Tokens: tokens, Box: box, AdminToken: cfg.AdminToken,
		PublicURL: cfg.PublicURL, MaxBodyBytes: cfg.MaxBodyBytes, Workers: workers, HealthOnly: !cfg.ServesAPI(), Logger: logger,
		JobTimeout: cfg.JobTimeout, MaxBacklog: cfg.MaxBacklog, WorkerID: cfg.WorkerID, PollOnly: cfg.DBPollOnly,
		FetchCooldown: cfg.FetchCooldown, FetchPollInterval: cfg.FetchPoll,
		LeanSteps: cfg.StepRecording == "lean", EnqueueBatch: cfg.EnqueueBatch,
		LLM:           llm.Config{URL: cfg.LLMURL, Model: cfg.LLMModel, APIKey: cfg.LLMAPIKey},
		OutboundAllow: cfg.OutboundAllow, MetricsToken: cfg.MetricsToken,
		SMTP: alert.SMTP{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword},
	}
	var tp *sdktrace.TracerProvider
	if cfg.OTLPEndpoint != "" {
		if tp, err = telemetry.NewOTLPProvider(ctx, cfg.OTLPEndpoint); err != nil {
			st.Close()
			return nil, err
		}
		opts.Tracer = tp
	}
	parts, err := Assemble(st, opts)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &App{Config: cfg, Store: st, Queue: parts.Queue, Server: parts.Server, Telemetry: parts.Telemetry,
		tracer: tp, logger: logger}, nil
}

// privateHandler serves the metrics listener: /metrics, and Go's profiles
// under /debug/pprof/ when profiling is on.
func (a *App) privateHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.Telemetry.Handler())
	if a.Config.Profiling {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	}
	return mux
}

// Run serves HTTP on ln and works jobs until ctx is cancelled, then shuts
// down gracefully: stop accepting requests, let running jobs finish within
// the shutdown timeout, close the database.
func (a *App) Run(ctx context.Context, ln net.Listener) error {
	var mln net.Listener
	if addr := a.Config.MetricsListen; addr != "" {
		var err error
		if mln, err = net.Listen("tcp", addr); err != nil {
			a.Store.Close()
			return fmt.Errorf("metrics listener: %w", err)
		}
	}
	jobs := a.Config.RunsJobs()
	if jobs {
		// River cancels running jobs when its start context ends; a stop
		// signal must instead let them finish (Queue.Stop below).
		if err := a.Queue.Start(context.WithoutCancel(ctx)); err != nil {
			a.Store.Close()
			return err
		}
	}
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go a.Server.WatchBacklog(watchCtx, time.Second)
	serveErr := make(chan error, 2)
	go func() { serveErr <- a.Server.App().Listener(ln) }()
	var metricsSrv *http.Server
	if mln != nil {
		metricsSrv = &http.Server{Handler: a.privateHandler(), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := metricsSrv.Serve(mln); !errors.Is(err, http.ErrServerClosed) {
				serveErr <- fmt.Errorf("metrics server: %w", err)
			}
		}()
	}

	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
		err = fmt.Errorf("http server: %w", err)
	}
	a.logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout+5*time.Second)
	defer cancel()
	httpErr := a.Server.Shutdown(shutdownCtx)
	var metricsErr, traceErr error
	if metricsSrv != nil {
		metricsErr = metricsSrv.Shutdown(shutdownCtx)
	}
	jobsCtx, cancelJobs := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancelJobs()
	var queueErr error
	if jobs {
		queueErr = a.Queue.Stop(jobsCtx)
	}
	if a.tracer != nil {
		traceErr = a.tracer.Shutdown(shutdownCtx) // flushes the last spans
	}
	a.Store.Close()
	return errors.Join(err, httpErr, metricsErr, queueErr, traceErr)
}
