package chaos_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// binary builds the bridgework command once per test binary.
func binary(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bridgework")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/bridgework/bridgework/cmd/bridgework")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// server is a bridgework serve process that can be killed and restarted.
type server struct {
	t    *testing.T
	bin  string
	env  []string
	url  string
	cmd  *exec.Cmd
	logs *bytes.Buffer
}

func newServer(t *testing.T, bin, dbURL string, extra ...string) *server {
	addr := freeAddr(t)
	s := &server{t: t, bin: bin, url: "http://" + addr, logs: &bytes.Buffer{}}
	s.env = append(os.Environ(),
		"BRIDGEWORK_DATABASE_URL="+dbURL, "BRIDGEWORK_LISTEN="+addr,
		"BRIDGEWORK_ADMIN_TOKEN="+adminToken,
		"BRIDGEWORK_SECRET_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"BRIDGEWORK_JWT_SECRET=chaos-jwt-secret-0123456789-0123456789",
		"BRIDGEWORK_WORKER_ID=chaos-1", "BRIDGEWORK_JOB_TIMEOUT=30s", "BRIDGEWORK_LOG_LEVEL=warn")
	s.env = append(s.env, extra...)
	t.Cleanup(func() {
		s.kill()
		if t.Failed() {
			t.Logf("server logs:\n%s", s.logs.String())
		}
	})
	return s
}

// start launches the process and waits until /readyz answers.
func (s *server) start() time.Duration {
	s.t.Helper()
	began := time.Now()
	s.launch()
	s.waitReady()
	return time.Since(began)
}

// launch starts the process without waiting for it.
func (s *server) launch() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "serve")
	s.cmd.Env = s.env
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
}

// waitReady waits until the launched process answers /readyz with 200.
func (s *server) waitReady() {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if res, err := http.Get(s.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the server was not ready within 60s:\n%s", s.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill ends the process with SIGKILL, as a crash or an OOM kill would.
func (s *server) kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
	s.cmd = nil
}

// stop ends the process with SIGTERM, as an orchestrator does on a rolling
// upgrade, and fails the test unless it shuts down cleanly with exit code 0.
func (s *server) stop() {
	s.t.Helper()
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	err := s.cmd.Wait()
	s.cmd = nil
	if err != nil {
		s.t.Errorf("graceful stop of %s: %v", s.url, err)
	}
}

// call sends a JSON request and decodes the answer.
func (s *server) call(method, path, token string, body any) (int, map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.url+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return res.StatusCode, out, nil
}

// must is call that fails the test on an unexpected status.
func (s *server) must(method, path, token string, body any, want int) map[string]any {
	s.t.Helper()
	status, out, err := s.call(method, path, token, body)
	if err != nil || status != want {
		s.t.Fatalf("%s %s: %d %v %v", method, path, status, out, err)
	}
	return out
}

func postJSON(url string, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

func orderBody(n int) []byte { return []byte(fmt.Sprintf(`{"order_number":"%d","total":%d.5}`, n, n)) }

func poNum(n int) string { return "HL-" + fmt.Sprint(n) }

func has(s, sub string) bool { return strings.Contains(s, sub) }
