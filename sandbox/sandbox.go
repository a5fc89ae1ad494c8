// Package sandbox starts the Heartland Retail and Epicor Kinetic simulators
// on real listeners; `bridgework sandbox` and the demo mode use it.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/bridgework/bridgework/sandbox/epicor"
	"github.com/bridgework/bridgework/sandbox/fault"
	"github.com/bridgework/bridgework/sandbox/heartland"
	"github.com/bridgework/bridgework/sandbox/seed"
)

// Default listen addresses.
const (
	DefaultHeartlandListen = "127.0.0.1:9081"
	DefaultEpicorListen    = "127.0.0.1:9082"
)

// Options configure Start. Heartland and Epicor carry the finer settings;
// Seed, DataFile and Logger override theirs.
type Options struct {
	HeartlandListen string // default DefaultHeartlandListen; ":0" picks a free port
	EpicorListen    string // default DefaultEpicorListen
	Seed            int64  // default 1
	DataFile        string // JSON dataset replacing the generated one
	Logger          *slog.Logger
	Heartland       heartland.Options
	Epicor          epicor.Options
}

// Running is a pair of started simulators.
type Running struct {
	// HeartlandURL is the server root; the API is under HeartlandURL+"/api/".
	HeartlandURL string
	// EpicorURL is the server root; v2 OData is under EpicorODataURL.
	EpicorURL string
	// EpicorODataURL is EpicorURL + "/{instance}/api/v2/odata/{company}".
	EpicorODataURL string
	Heartland      *heartland.Server
	Epicor         *epicor.Server

	servers []*http.Server
	once    sync.Once
	err     error
}

// Start loads the data, starts both servers and returns once they accept
// connections. They stop when ctx ends or Close is called.
func Start(ctx context.Context, opts Options) (*Running, error) {
	for name, f := range map[string]fault.Config{"heartland": opts.Heartland.Faults, "epicor": opts.Epicor.Faults} {
		if err := f.Validate(); err != nil {
			return nil, fmt.Errorf("sandbox: %s faults: %w", name, err)
		}
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	data := seed.Generate(max(opts.Seed, 1))
	if opts.DataFile != "" {
		d, err := seed.Load(opts.DataFile)
		if err != nil {
			return nil, fmt.Errorf("sandbox: %w", err)
		}
		data = d
	}
	hOpts, eOpts := opts.Heartland, opts.Epicor
	hOpts.Seed, hOpts.Data, hOpts.Logger = opts.Seed, data, logger.With("sandbox", "heartland")
	eOpts.Seed, eOpts.Data, eOpts.Logger = opts.Seed, data, logger.With("sandbox", "epicor")
	run := &Running{Heartland: heartland.New(hOpts), Epicor: epicor.New(eOpts)}
	hl, err := listen(opts.HeartlandListen, DefaultHeartlandListen)
	if err != nil {
		run.Close()
		return nil, fmt.Errorf("sandbox: heartland: %w", err)
	}
	el, err := listen(opts.EpicorListen, DefaultEpicorListen)
	if err != nil {
		hl.Close()
		run.Close()
		return nil, fmt.Errorf("sandbox: epicor: %w", err)
	}
	run.HeartlandURL, run.EpicorURL = baseURL(hl), baseURL(el)
	instance := eOpts.Instance
	if instance == "" {
		instance = epicor.DefaultInstance
	}
	run.EpicorODataURL = fmt.Sprintf("%s/%s/api/v2/odata/%s", run.EpicorURL, instance, run.Epicor.Company())
	for _, pair := range []struct {
		l net.Listener
		h http.Handler
	}{{hl, run.Heartland}, {el, run.Epicor}} {
		srv := &http.Server{Handler: pair.h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
		run.servers = append(run.servers, srv)
		go func() {
			if err := srv.Serve(pair.l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error("sandbox server stopped", slog.String("addr", pair.l.Addr().String()), slog.Any("error", err))
			}
		}()
	}
	go func() {
		<-ctx.Done()
		run.Close()
	}()
	return run, nil
}

func listen(addr, fallback string) (net.Listener, error) {
	if addr == "" {
		addr = fallback
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return l, nil
}

// baseURL turns a listener address into a loopback URL when it is a
// wildcard address.
func baseURL(l net.Listener) string {
	a := l.Addr().(*net.TCPAddr)
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(a.Port))
}

// Close stops both servers (waiting up to 5 s for requests in flight) and
// their delivery queues. It is safe to call more than once.
func (r *Running) Close() error {
	r.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var errs []error
		for _, s := range r.servers {
			if err := s.Shutdown(ctx); err != nil {
				errs = append(errs, err, s.Close())
			}
		}
		r.Heartland.Close()
		r.Epicor.Close()
		if len(errs) > 0 {
			r.err = fmt.Errorf("sandbox: shut down: %w", errors.Join(errs...))
		}
	})
	return r.err
}
