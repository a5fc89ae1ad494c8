package bench

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bridgework/bridgework/internal/app"
	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/internal/config"
	"github.com/bridgework/bridgework/internal/queue"
	"github.com/bridgework/bridgework/internal/secret"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// queryCounter counts the queries a Postgres store sends, and keeps their
// text while recording.
type queryCounter struct {
	n         atomic.Int64
	mu        sync.Mutex
	recording bool
	sqls      []string
}

func (q *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	q.n.Add(1)
	q.mu.Lock()
	if q.recording {
		q.sqls = append(q.sqls, strings.Join(strings.Fields(d.SQL), " "))
	}
	q.mu.Unlock()
	return ctx
}

// record starts keeping query texts; the returned function stops and
// returns them.
func (q *queryCounter) record() func() []string {
	q.mu.Lock()
	q.recording, q.sqls = true, nil
	q.mu.Unlock()
	return func() []string {
		q.mu.Lock()
		defer q.mu.Unlock()
		q.recording = false
		return q.sqls
	}
}

func (q *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// inProcess assembles the app with workers on a fresh database and serves it
// on loopback; the process has no child, only the address.
func inProcess(tb testing.TB, dialect string, workers int) (*process, *queryCounter) {
	tb.Helper()
	ctx := context.Background()
	dbCfg, err := config.ParseDatabaseURL(testdb.URL(tb, dialect))
	if err != nil {
		tb.Fatal(err)
	}
	counter := &queryCounter{}
	st, err := store.Open(ctx, dbCfg, store.Options{QueryTracer: counter})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(st.Close)
	if _, err := st.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	if err := queue.Migrate(ctx, st); err != nil {
		tb.Fatal(err)
	}
	box, err := secret.NewBox(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		tb.Fatal(err)
	}
	d := Defaults(false)
	parts, err := app.Assemble(st, app.Options{Tokens: auth.NewTokens("bench-jwt-secret-0123456789-0123456789", time.Hour),
		Box: box, AdminToken: adminToken, MaxBodyBytes: 1 << 20, Workers: workers, OutboundAllow: []string{"127.0.0.1"},
		FetchCooldown: d.FetchCooldown, FetchPollInterval: d.FetchPollInterval, JobTimeout: time.Minute})
	if err != nil {
		tb.Fatal(err)
	}
	if workers > 0 {
		if err := parts.Queue.Start(ctx); err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { parts.Queue.Stop(context.Background()) })
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go parts.Server.App().Listener(ln)
	tb.Cleanup(func() { parts.Server.App().Shutdown() })
	return &process{url: "http://" + ln.Addr().String(), client: &http.Client{Timeout: 30 * time.Second}}, counter
}

// simpleHook publishes the simple flow towards a new sink.
func simpleHook(tb testing.TB, p *process) (string, *sink) {
	tb.Helper()
	sk, err := startSink()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(sk.close)
	ctx := context.Background()
	token, err := p.tenant(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	hook, err := publish(ctx, p, token, simpleFlow(sk.url))
	if err != nil {
		tb.Fatal(err)
	}
	return hook, sk
}

// BenchmarkWebhook measures accepting one webhook (run and job stored in one
// transaction) over real HTTP, with no workers competing.
func BenchmarkWebhook(b *testing.B) {
	for _, dialect := range testdb.Dialects {
		b.Run(dialect, func(b *testing.B) {
			p, queries := inProcess(b, dialect, 0)
			hook, _ := simpleHook(b, p)
			l := newLoad(hook, 1, heartlandOrder)
			ctx := context.Background()
			before := queries.n.Load()
			b.ResetTimer()
			for i := range b.N {
				l.post(ctx, i)
			}
			b.StopTimer()
			if n := l.errors.Load(); n > 0 {
				b.Fatalf("%d webhooks were refused", n)
			}
			if dialect == store.Postgres {
				b.ReportMetric(float64(queries.n.Load()-before)/float64(b.N), "queries/op")
			}
		})
	}
}

// BenchmarkRun measures the whole path of the simple flow in one process:
// webhooks from 16 senders, 20 workers, until the sink has every write.
func BenchmarkRun(b *testing.B) {
	for _, dialect := range testdb.Dialects {
		b.Run(dialect, func(b *testing.B) {
			p, queries := inProcess(b, dialect, 20)
			hook, sk := simpleHook(b, p)
			l := newLoad(hook, 16, heartlandOrder)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			before := queries.n.Load()
			b.ResetTimer()
			l.flood(ctx, b.N)
			for sk.count.Load() < l.accepted.Load() && ctx.Err() == nil {
				select {
				case <-sk.notify:
				case <-ctx.Done():
				}
			}
			b.StopTimer()
			if l.accepted.Load() != int64(b.N) || sk.count.Load() != int64(b.N) {
				b.Fatalf("%d webhooks accepted and %d runs completed, want %d", l.accepted.Load(), sk.count.Load(), b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "runs/s")
			if dialect == store.Postgres {
				b.ReportMetric(float64(queries.n.Load()-before)/float64(b.N), "queries/run")
			}
		})
	}
}
