// Package apitest holds the HTTP test helpers the sandbox packages share:
// sending requests, golden files (testdata/<name>.golden.json, rewritten
// with -update) and parallel benchmarks.
package apitest

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json files")

// Answer is the part of an HTTP answer a golden file pins.
type Answer struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    any               `json:"body,omitempty"`
}

// Capture reads status, the named headers and the body (JSON when it parses,
// else text), replacing base (the test server URL) with http://sandbox.test.
func Capture(tb testing.TB, resp *http.Response, raw []byte, base string, headers ...string) Answer {
	tb.Helper()
	a := Answer{Status: resp.StatusCode, Headers: map[string]string{}}
	for _, h := range headers {
		if v := resp.Header.Get(h); v != "" {
			a.Headers[h] = strings.ReplaceAll(v, base, "http://sandbox.test")
		}
	}
	text := strings.ReplaceAll(string(raw), base, "http://sandbox.test")
	if text == "" {
		return a
	}
	var v any
	if err := json.Unmarshal([]byte(text), &v); err == nil {
		a.Body = v
	} else {
		a.Body = text
	}
	return a
}

// Golden sends req and compares the answer (status, the named headers and
// body) with testdata/<name>.golden.json.
func Golden(tb testing.TB, name string, req *http.Request, base string, headers ...string) {
	tb.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("golden %s: %v", name, err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	Check(tb, name, Capture(tb, resp, raw, base, headers...))
}

// Check compares a with testdata/<name>.golden.json, or writes it with -update.
func Check(tb testing.TB, name string, a Answer) {
	tb.Helper()
	got, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		tb.Fatalf("golden %s: encode: %v", name, err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatalf("golden %s: write: %v", name, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("golden %s: %v (run with -update to create it)", name, err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("golden %s differs from %s (run with -update if the change is intended)\ngot:\n%s", name, path, got)
	}
}
