package app

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/bridgework/bridgework/internal/config"
	"github.com/bridgework/bridgework/internal/telemetry"
)

// The metrics listener serves Go's profiles only when profiling is on.
func TestPrivateHandlerServesProfilesOnlyWhenAsked(t *testing.T) {
	for _, on := range []bool{false, true} {
		a := &App{Config: &config.Config{Profiling: on}, Telemetry: telemetry.New(telemetry.Options{})}
		h := a.privateHandler()
		want := map[bool]int{false: http.StatusNotFound, true: http.StatusOK}[on]
		for _, path := range []string{"/debug/pprof/", "/debug/pprof/goroutine?debug=1"} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if rec.Code != want {
				t.Errorf("profiling %v: GET %s answered %d, want %d", on, path, rec.Code, want)
			}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		if rec.Code != http.StatusOK {
			t.Errorf("profiling %v: /metrics answered %d", on, rec.Code)
		}
	}
}
