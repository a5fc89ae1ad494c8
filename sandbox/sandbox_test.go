package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/bridgework/bridgework/sandbox/epicor"
	"github.com/bridgework/bridgework/sandbox/fault"
	"github.com/bridgework/bridgework/sandbox/heartland"
	"github.com/bridgework/bridgework/sandbox/seed"
)

func get(tb testing.TB, url string, set func(*http.Request)) int {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	set(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestStartServesBothAPIs(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	run, err := Start(ctx, Options{HeartlandListen: "127.0.0.1:0", EpicorListen: "127.0.0.1:0", Seed: 7})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer run.Close()
	if got := get(t, run.HeartlandURL+"/api/system/whoami", func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+heartland.DefaultToken)
	}); got != http.StatusOK {
		t.Errorf("heartland whoami status = %d, want 200", got)
	}
	if got := get(t, run.EpicorODataURL+"/Erp.BO.PartSvc/Parts?$top=1", func(r *http.Request) {
		r.Header.Set("X-API-Key", epicor.DefaultAPIKey)
		r.SetBasicAuth(epicor.DefaultUsername, epicor.DefaultPassword)
	}); got != http.StatusOK {
		t.Errorf("epicor parts status = %d, want 200", got)
	}
	if err := run.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := http.Get(run.HeartlandURL + "/api/items"); err == nil {
		t.Error("heartland still answers after Close")
	}
}

func TestStartLoadsDataFile(t *testing.T) {
	t.Parallel()
	d := seed.Generate(3)
	d.Heartland.Items = d.Heartland.Items[:2]
	path := filepath.Join(t.TempDir(), "data.json")
	b, _ := json.Marshal(d)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	run, err := Start(context.Background(), Options{HeartlandListen: ":0", EpicorListen: ":0", DataFile: path})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer run.Close()
	if n := len(run.Heartland.Data().Heartland.Items); n != 2 {
		t.Errorf("items loaded = %d, want 2", n)
	}
}

func TestStartRejectsBadInput(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte("{not json"), 0o600)
	tests := []struct {
		name string
		opts Options
	}{
		{"missing data file", Options{HeartlandListen: ":0", EpicorListen: ":0", DataFile: "/nonexistent/data.json"}},
		{"malformed data file", Options{HeartlandListen: ":0", EpicorListen: ":0", DataFile: bad}},
		{"bad listen address", Options{HeartlandListen: "256.0.0.1:-5", EpicorListen: ":0"}},
		{"invalid faults", Options{HeartlandListen: ":0", EpicorListen: ":0", Epicor: epicor.Options{Faults: fault.Config{LatencyMS: -1}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if run, err := Start(context.Background(), tt.opts); err == nil {
				run.Close()
				t.Fatal("Start succeeded, want an error")
			}
		})
	}
}
