package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// adminToken is the platform admin token of the server under test.
const adminToken = "bench-admin-token-0123456789abcdef"

// process is a `bridgework serve` child: the server under test.
type process struct {
	url    string
	pprof  string // base URL of the profiling listener; empty when not profiling
	cmd    *exec.Cmd
	logs   *bytes.Buffer
	client *http.Client
}

// startServer launches binary serve on dbURL and waits until it is ready.
func startServer(ctx context.Context, binary, dbURL string, o Options) (*process, error) {
	addr, err := freeLoopback()
	if err != nil {
		return nil, err
	}
	p := &process{url: "http://" + addr, logs: &bytes.Buffer{}, client: &http.Client{Timeout: 30 * time.Second}}
	p.cmd = exec.Command(binary, "serve")
	p.cmd.Env = append(os.Environ(),
		"BRIDGEWORK_DATABASE_URL="+dbURL, "BRIDGEWORK_LISTEN="+addr,
		"BRIDGEWORK_ADMIN_TOKEN="+adminToken,
		"BRIDGEWORK_SECRET_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"BRIDGEWORK_JWT_SECRET=bench-jwt-secret-0123456789-0123456789",
		"BRIDGEWORK_LOG_LEVEL=warn", "BRIDGEWORK_OUTBOUND_ALLOW=127.0.0.1",
		"BRIDGEWORK_WORKER_ID=bench", "BRIDGEWORK_MAX_BACKLOG=1000000",
		"BRIDGEWORK_WORKERS="+strconv.Itoa(o.Workers),
		"BRIDGEWORK_STEP_RECORDING="+o.StepRecording, "BRIDGEWORK_ENQUEUE_BATCH="+strconv.Itoa(o.EnqueueBatch))
	if o.ProfileDir != "" {
		pprofAddr, err := freeLoopback()
		if err != nil {
			return nil, err
		}
		p.pprof = "http://" + pprofAddr
		p.cmd.Env = append(p.cmd.Env, "BRIDGEWORK_METRICS_LISTEN="+pprofAddr, "BRIDGEWORK_PROFILING=true")
	}
	if o.FetchCooldown > 0 {
		p.cmd.Env = append(p.cmd.Env, "BRIDGEWORK_FETCH_COOLDOWN="+o.FetchCooldown.String())
	}
	if o.FetchPollInterval > 0 {
		p.cmd.Env = append(p.cmd.Env, "BRIDGEWORK_FETCH_POLL_INTERVAL="+o.FetchPollInterval.String())
	}
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s serve: %w", binary, err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if res, err := p.client.Get(p.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			p.stop()
			return nil, fmt.Errorf("the server was not ready within 60s:\n%s", p.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freeLoopback returns a loopback address nothing listens on.
func freeLoopback() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// profileCPU starts a CPU profile of the server over d and returns a function
// that waits for it and writes it to path.
func (p *process) profileCPU(ctx context.Context, d time.Duration, path string) func() error {
	done := make(chan error, 1)
	go func() {
		url := fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", p.pprof, max(1, int(d.Seconds())))
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			done <- err
			return
		}
		res, err := (&http.Client{Timeout: d + time.Minute}).Do(req)
		if err != nil {
			done <- fmt.Errorf("CPU profile: %w", err)
			return
		}
		defer res.Body.Close()
		raw, err := io.ReadAll(res.Body)
		if err == nil && res.StatusCode != http.StatusOK {
			err = fmt.Errorf("CPU profile: %d %s", res.StatusCode, raw)
		}
		if err == nil {
			err = os.WriteFile(path, raw, 0o644)
		}
		done <- err
	}()
	return func() error { return <-done }
}

// profileSelf profiles this process (load generator, sink, sandboxes) over d
// and returns a function that waits for the profile to be written to path.
func profileSelf(d time.Duration, path string) func() error {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
		if err != nil {
			f.Close()
		}
	}
	if err != nil {
		return func() error { return fmt.Errorf("bench CPU profile: %w", err) }
	}
	done := make(chan error, 1)
	time.AfterFunc(d, func() {
		pprof.StopCPUProfile()
		done <- f.Close()
	})
	return func() error { return <-done }
}

// peakRSS reads the process's peak resident set size (VmHWM) in bytes.
func (p *process) peakRSS() (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", p.cmd.Process.Pid)
}

// stop ends the process with SIGTERM, then SIGKILL after 10s.
func (p *process) stop() {
	if p.cmd.Process == nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}

// call sends a JSON request to the server and decodes its JSON answer,
// failing on any status but want.
func (p *process) call(ctx context.Context, method, path, token string, body any, want int) (map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.url+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := p.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return nil, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	return out, nil
}

// tenant provisions a tenant and returns an access token for its admin.
func (p *process) tenant(ctx context.Context) (string, error) {
	t, err := p.call(ctx, http.MethodPost, "/api/v1/tenants", adminToken,
		map[string]any{"name": "Bench", "slug": "bench", "admin_email": "ops@bench.test"}, http.StatusCreated)
	if err != nil {
		return "", fmt.Errorf("provision tenant: %w", err)
	}
	admin, _ := t["admin"].(map[string]any)
	tok, err := p.call(ctx, http.MethodPost, "/api/v1/auth/token", "", map[string]any{"api_key": admin["api_key"]}, http.StatusOK)
	if err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	token, _ := tok["access_token"].(string)
	return token, nil
}
