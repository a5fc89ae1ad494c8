// Package server is Bridgework's HTTP API: one Fiber app, every route in
// routes.go, one error handler, tenant-scoped handlers.
package server

import (
	"context"
	"io/fs"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/approval"
	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/internal/connections"
	"github.com/bridgework/bridgework/internal/outbound"
	"github.com/bridgework/bridgework/internal/plans"
	"github.com/bridgework/bridgework/internal/queue"
	"github.com/bridgework/bridgework/internal/runner"
	"github.com/bridgework/bridgework/internal/secret"
	"github.com/bridgework/bridgework/internal/telemetry"
	"github.com/bridgework/bridgework/internal/throttle"
	"github.com/bridgework/bridgework/mapping"
	"github.com/bridgework/bridgework/store"
)

// Deps are what the handlers need; all but WebApp are required.
type Deps struct {
	Store        *store.Store
	Queue        *queue.Client
	Plans        *plans.Compiler
	Connections  *connections.Service
	Enqueuer     *runner.Enqueuer
	Tokens       *auth.Tokens
	Box          *secret.Box
	AdminToken   string
	PublicURL    string
	MaxBodyBytes int
	Logger       *slog.Logger
	// WebApp is the built browser app (web.Dist()); nil serves no app.
	WebApp fs.FS
	// MaxBacklog is the number of runs waiting for a worker beyond which
	// webhooks answer 503 instead of accepting more; 0 means no limit.
	MaxBacklog int
	// Reranker optionally reorders mapping suggestions (llm.New); nil keeps
	// the deterministic order.
	Reranker mapping.Reranker
	// Approvals decides approval requests.
	Approvals *approval.Service
	// Telemetry measures webhooks and serves /metrics; nil measures nothing.
	Telemetry *telemetry.Telemetry
	// MetricsToken is the bearer token GET /metrics requires; empty: the
	// route answers 404 (metrics may be served on a separate listener).
	MetricsToken string
	// HealthOnly serves only /healthz, /readyz and /metrics: the front of a
	// worker process, which has no API, webhooks or web app.
	HealthOnly bool
	// OutboundAllow caches tenants' outbound allow-lists for the address
	// guard; the server forgets a tenant's list when it changes. Nil: none
	// cached.
	OutboundAllow *outbound.Lists
}

// Server is the HTTP front of Bridgework.
type Server struct {
	app     *fiber.App
	backlog atomic.Int64 // last sampled queue backlog (WatchBacklog)
	Deps
	principals *principals
	// logins limits sign-in attempts per client address and per account.
	logins *throttle.Buckets
}

// New builds the app and registers every route.
func New(d Deps) *Server {
	s := &Server{Deps: d, principals: newPrincipals(d.Store), logins: throttle.New()}
	s.app = fiber.New(fiber.Config{
		AppName:               "bridgework",
		BodyLimit:             d.MaxBodyBytes,
		ErrorHandler:          errorHandler(d.Logger),
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
	})
	s.routes()
	return s
}

// App exposes the Fiber app (tests call App().Test).
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error { return s.app.Listen(addr) }

// WatchBacklog samples the queue's backlog every interval until ctx ends;
// webhook ingestion compares it with MaxBacklog.
func (s *Server) WatchBacklog(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.Queue.Backlog(ctx); err == nil {
			s.backlog.Store(int64(n))
		} else if ctx.Err() == nil {
			s.Logger.Warn("cannot read the queue backlog", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Shutdown stops accepting connections and waits for in-flight requests.
func (s *Server) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }
