package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serve on the embedded default answers /healthz, serves metrics on their
// own listener, and a stop signal (context cancellation, as SIGTERM does)
// shuts it down cleanly with exit code 0.
func TestServeOnSQLiteAndShutDownGracefully(t *testing.T) {
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	dir := t.TempDir()
	t.Setenv("BRIDGEWORK_DATABASE_URL", "sqlite://"+filepath.Join(dir, "data", "bridgework.db"))
	t.Setenv("BRIDGEWORK_LISTEN", addr)
	t.Setenv("BRIDGEWORK_METRICS_LISTEN", metricsAddr)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var stdout, stderr bytes.Buffer
	go func() { done <- run(ctx, []string{"serve"}, &stdout, &stderr) }()

	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz did not answer 200 within 20s; stderr: %s", stderr.String())
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited early with %d: %s", code, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	res, err := http.Get("http://" + addr + "/readyz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("/readyz: %v %v", res, err)
	}
	res.Body.Close()
	res, err = http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatalf("metrics listener: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "bridgework_queue_depth") {
		t.Errorf("metrics listener: %d %.300s", res.StatusCode, body)
	}
	if res, err := http.Get("http://" + metricsAddr + "/debug/pprof/"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("profiles on the metrics listener without BRIDGEWORK_PROFILING: %v %v, want 404", res, err)
	}
	if res, err := http.Get("http://" + addr + "/metrics"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the main listener without a token: %v %v, want 404", res, err)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited with %d after the stop signal: %s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30s of the stop signal")
	}
	if strings.Contains(stderr.String(), "level=ERROR") {
		t.Errorf("errors logged on a clean run: %s", stderr.String())
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}
