package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/bridgework/bridgework/internal/demo"
	"github.com/bridgework/bridgework/sandbox"
)

const orderTemplate = "heartland-order-to-epicor-sales-order"

// runOrder installs the order template against sandboxes in this process
// (rate limits off) and offers OrderRate orders per second for Duration.
// Completion is read from the run list.
func runOrder(ctx context.Context, p *process, token string, o Options, meter *cpuMeter) (*Result, error) {
	sb, err := sandbox.Start(ctx, sandbox.Options{HeartlandListen: "127.0.0.1:0", EpicorListen: "127.0.0.1:0"})
	if err != nil {
		return nil, err
	}
	defer sb.Close()
	conns := map[string]any{}
	for _, c := range demo.SandboxConnections(sb) {
		if c.Type != "heartland" && c.Type != "epicor" {
			continue
		}
		cfg := map[string]any{"rate_limit_per_second": 0}
		for k, v := range c.Config {
			cfg[k] = v
		}
		out, err := p.call(ctx, http.MethodPost, "/api/v1/connections", token,
			map[string]any{"name": c.Name, "type": c.Type, "config": cfg, "secrets": c.Secrets}, http.StatusCreated)
		if err != nil {
			return nil, fmt.Errorf("create connection: %w", err)
		}
		conns[c.Type] = out["id"]
	}
	inst, err := p.call(ctx, http.MethodPost, "/api/v1/templates/"+orderTemplate+"/install", token,
		map[string]any{"connections": conns}, http.StatusOK)
	if err != nil {
		return nil, fmt.Errorf("install template: %w", err)
	}
	flows, _ := inst["flows"].([]any)
	if len(flows) == 0 {
		return nil, fmt.Errorf("install template: no flow in %v", inst)
	}
	hooks, _ := flows[0].(map[string]any)["hooks"].([]any)
	if len(hooks) == 0 {
		return nil, fmt.Errorf("install template: no webhook in %v", flows[0])
	}
	hook := hooks[0].(map[string]any)["url"].(string)

	n := int(o.Duration.Seconds() * float64(o.OrderRate))
	orders, err := heartlandOrders(ctx, sb.HeartlandURL, n, o.Senders)
	if err != nil {
		return nil, err
	}
	l := newLoad(hook, o.Senders, func(i int) []byte { return orders[i%len(orders)] })
	meter.begin()
	began := time.Now()
	sending := l.paced(ctx, o.OrderRate, o.Duration)
	accepted := l.accepted.Load()
	res := &Result{OfferedPerSec: float64(o.OrderRate), Sent: l.sent.Load(), Accepted: accepted,
		AcceptedPerSec: float64(accepted) / sending.Seconds(), Webhook: l.latency.percentiles()}
	deadline := time.Now().Add(o.Drain)
	var succeeded, failed int64
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if succeeded, err = runCount(ctx, p, token, "succeeded"); err != nil {
			return nil, err
		}
		if failed, err = runCount(ctx, p, token, "failed"); err != nil {
			return nil, err
		}
		if succeeded+failed >= accepted {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	res.CPU = meter.end()
	res.TotalSeconds = time.Since(began).Seconds()
	res.Completed = succeeded
	res.CompletedPerSec = float64(succeeded) / res.TotalSeconds
	res.Errors = l.errors.Load() + accepted - succeeded
	res.Note = "completion polled from the run list (100 ms); no sink, so no end-to-end latency"
	return res, nil
}

// runCount is the number of runs with a status.
func runCount(ctx context.Context, p *process, token, status string) (int64, error) {
	out, err := p.call(ctx, http.MethodGet, "/api/v1/runs?per_page=1&status="+status, token, nil, http.StatusOK)
	if err != nil {
		return 0, err
	}
	total, _ := out["total"].(float64)
	return int64(total), nil
}

// heartlandOrders creates n orders in the Heartland sandbox and returns their
// webhook bodies.
func heartlandOrders(ctx context.Context, heartlandURL string, n, senders int) ([][]byte, error) {
	sample, err := json.Marshal(map[string]any{"customer_id": 100122, "station_id": 100011, "source_location_id": 100001,
		"lines": []map[string]any{{"item_lookup": "SKU-1001", "qty": 2}, {"item_lookup": "SKU-1002", "qty": 1}, {"item_lookup": "SKU-1001", "qty": 3}}})
	if err != nil {
		return nil, err
	}
	out := make([][]byte, n)
	errs := make(chan error, senders)
	var wg sync.WaitGroup
	for w := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += senders {
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, heartlandURL+"/_sandbox/events/sales_order", bytes.NewReader(sample))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer sandbox-token")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err
					return
				}
				out[i], _ = io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode/100 != 2 {
					errs <- fmt.Errorf("heartland sandbox: create order: %d %s", res.StatusCode, out[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	return out, nil
}
