package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"runtime"
	"time"
)

func cpus() int { return runtime.NumCPU() }

// runScenario starts a server on a fresh database, sets the scenario up and
// measures it.
func runScenario(ctx context.Context, dbs *databases, dialect, scenario string, o Options) (_ *Result, err error) {
	dbURL, err := dbs.fresh(ctx, dialect)
	if err != nil {
		return nil, err
	}
	p, err := startServer(ctx, o.Binary, dbURL, o)
	if err != nil {
		return nil, err
	}
	defer p.stop()
	token, err := p.tenant(ctx)
	if err != nil {
		return nil, err
	}
	meter := newCPUMeter(ctx, p.cmd.Process.Pid, dialect, dbURL)
	var res *Result
	if o.ProfileDir != "" {
		base := filepath.Join(o.ProfileDir, scenario+"-"+dialect)
		waitServer := p.profileCPU(ctx, o.Duration, base+".cpu.pprof")
		waitSelf := profileSelf(o.Duration, base+".bench.cpu.pprof")
		defer func() {
			if perr := errors.Join(waitServer(), waitSelf()); perr != nil && err == nil {
				err = perr
			}
		}()
	}
	if scenario == Order {
		res, err = runOrder(ctx, p, token, o, meter)
	} else {
		res, err = runSimple(ctx, p, token, scenario, o, meter)
	}
	if err != nil {
		return nil, fmt.Errorf("%w\nserver logs:\n%s", err, tail(p.logs.String(), 2000))
	}
	res.Scenario, res.Database = scenario, dialect
	if rss, err := p.peakRSS(); err == nil {
		res.PeakRSSMB = float64(rss) / (1 << 20)
	}
	return res, nil
}

// runSimple measures the simple flow at the offered rate, or as a burst.
func runSimple(ctx context.Context, p *process, token, scenario string, o Options, meter *cpuMeter) (*Result, error) {
	sk, err := startSink()
	if err != nil {
		return nil, err
	}
	defer sk.close()
	hook, err := publish(ctx, p, token, simpleFlow(sk.url))
	if err != nil {
		return nil, err
	}
	l := newLoad(hook, o.Senders, heartlandOrder)
	res := &Result{}
	meter.begin()
	began := time.Now()
	var sending time.Duration
	if scenario == Burst {
		sending = l.flood(ctx, o.BurstSize)
	} else {
		res.OfferedPerSec = float64(o.Rate)
		sending = l.paced(ctx, o.Rate, o.Duration)
	}
	accepted := l.accepted.Load()
	deadline := time.Now().Add(o.Drain)
	for sk.count.Load() < accepted && time.Now().Before(deadline) && ctx.Err() == nil {
		select {
		case <-sk.notify:
		case <-time.After(100 * time.Millisecond):
		}
	}
	res.CPU = meter.end()
	sk.mu.Lock()
	last := sk.last
	sk.mu.Unlock()
	res.Sent, res.Accepted, res.Completed = l.sent.Load(), accepted, sk.count.Load()
	res.AcceptedPerSec = float64(accepted) / sending.Seconds()
	if !last.IsZero() {
		res.TotalSeconds = last.Sub(began).Seconds()
		res.CompletedPerSec = float64(res.Completed) / res.TotalSeconds
	}
	res.Webhook, res.EndToEnd = l.latency.percentiles(), sk.e2e.percentiles()
	res.Errors = l.errors.Load() + accepted - res.Completed
	if res.Completed < accepted {
		res.Note = fmt.Sprintf("%d runs not completed within %s", accepted-res.Completed, o.Drain)
	}
	return res, nil
}

// publish creates and publishes a flow, returning its webhook URL.
func publish(ctx context.Context, p *process, token string, def map[string]any) (string, error) {
	f, err := p.call(ctx, http.MethodPost, "/api/v1/flows", token, map[string]any{"name": "Bench orders", "definition": def}, http.StatusCreated)
	if err != nil {
		return "", fmt.Errorf("create flow: %w", err)
	}
	pub, err := p.call(ctx, http.MethodPost, "/api/v1/flows/"+f["id"].(string)+"/publish", token, nil, http.StatusOK)
	if err != nil {
		return "", fmt.Errorf("publish flow: %w", err)
	}
	hooks, _ := pub["hooks"].([]any)
	if len(hooks) == 0 {
		return "", fmt.Errorf("publish flow: no webhook in %v", pub)
	}
	return p.url + "/hooks/" + hooks[0].(map[string]any)["id"].(string), nil
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
