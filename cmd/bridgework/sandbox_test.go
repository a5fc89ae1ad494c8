package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// sandbox on free ports prints both URLs and the default credentials, both
// simulators answer with those credentials, and cancelling the context (as
// SIGTERM does) stops them with exit code 0.
func TestSandboxServesBothSystemsUntilStopped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var stderr strings.Builder
	go func() {
		code := run(ctx, []string{"sandbox", "--heartland-listen", "127.0.0.1:0", "--epicor-listen", "127.0.0.1:0", "--seed", "3"}, pw, &stderr)
		pw.Close()
		done <- code
	}()

	// Read the banner: "  key value" lines after each system's title.
	settings := map[string]map[string]string{}
	var system string
	sc := bufio.NewScanner(pr)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "Test controls") {
		line := sc.Text()
		if !strings.HasPrefix(line, "  ") {
			system = strings.Fields(line)[0]
			settings[system] = map[string]string{}
			continue
		}
		f := strings.Fields(line)
		settings[system][f[0]] = f[len(f)-1]
	}
	go io.Copy(io.Discard, pr)
	hl, ep := settings["Heartland"], settings["Epicor"]
	if hl["base_url"] == "" || hl["api_token"] != "sandbox-token" || ep["base_url"] == "" || ep["api_key"] != "sandbox-api-key" ||
		ep["username"] != "manager" || ep["company"] != "EPIC06" {
		t.Fatalf("banner lacks URLs or credentials: %v", settings)
	}

	var who map[string]any
	get(t, hl["base_url"]+"/system/whoami", map[string]string{"Authorization": "Bearer " + hl["api_token"]}, &who)
	if who["id"] == nil {
		t.Errorf("whoami = %v, want a user with an id", who)
	}
	var customers struct {
		Value []map[string]any `json:"value"`
	}
	get(t, ep["OData"]+"/Erp.BO.CustomerSvc/Customers?$top=2&$filter=CustID%20eq%20'ROEJ'",
		map[string]string{"X-API-Key": ep["api_key"], "Authorization": "Basic bWFuYWdlcjptYW5hZ2Vy"}, &customers)
	if len(customers.Value) != 1 || customers.Value[0]["CustID"] != "ROEJ" {
		t.Errorf("OData read = %v, want customer ROEJ", customers.Value)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("sandbox exited with %d: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("sandbox did not stop within 15s of the stop signal")
	}
	if res, err := http.Get(hl["base_url"] + "/system/whoami"); err == nil {
		res.Body.Close()
		t.Error("the Heartland sandbox still answers after the stop signal")
	}
}

func TestSandboxHelpAndBadFlags(t *testing.T) {
	code, stdout, _ := runCmd(t, nil, "sandbox", "--help")
	for _, want := range []string{"-heartland-listen", "-epicor-listen", "-seed", "-data", "sandbox-token", "sandbox-api-key", "manager"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("sandbox --help: exit %d, output lacks %q: %s", code, want, stdout)
		}
	}
	for _, args := range [][]string{
		{"sandbox", "--seed", "0"},
		{"sandbox", "--log-format", "xml"},
		{"sandbox", "--heartland-listen", "nonsense:port:x", "--epicor-listen", "127.0.0.1:0"},
		{"sandbox", "--data", "/does/not/exist.json", "--heartland-listen", "127.0.0.1:0", "--epicor-listen", "127.0.0.1:0"},
	} {
		if code, _, stderr := runCmd(t, nil, args...); code == 0 || !strings.Contains(stderr, "bridgework sandbox:") {
			t.Errorf("%v: exit %d, stderr %q; want a failure naming the command", args, code, stderr)
		}
	}
}

func get(t *testing.T, url string, header map[string]string, out any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, b)
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatalf("GET %s: decode: %v", url, err)
	}
}
