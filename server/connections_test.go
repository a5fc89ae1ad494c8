package server_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/internal/testdb"
)

func TestConnectionsCRUDAndSecrets(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect)
		acme := h.tenant("acme")
		const plaintext = "super-secret-api-token-4242"
		res := h.do(http.MethodPost, "/api/v1/connections", acme.Token, map[string]any{
			"name": "Heartland prod", "type": "heartland",
			"config":  map[string]any{"base_url": "https://acme.retail.heartland.us"},
			"secrets": map[string]string{"api_token": plaintext},
		})
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Raw)
		}
		id := res.Body["id"].(string)
		if strings.Contains(res.Raw, plaintext) {
			t.Fatalf("create response reveals the secret: %s", res.Raw)
		}
		if f := res.Body["secret_fields"].([]any); len(f) != 1 || f[0] != "api_token" {
			t.Fatalf("secret_fields = %v, want [api_token]", f)
		}

		var stored []byte
		if err := h.store.SQL().QueryRowContext(context.Background(), "SELECT secrets FROM connections WHERE id = "+placeholder(dialect), id).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if len(stored) == 0 || bytes.Contains(stored, []byte(plaintext)) {
			t.Fatalf("stored secrets are empty or hold the plaintext (%d bytes)", len(stored))
		}

		upd := h.do(http.MethodPut, "/api/v1/connections/"+id, acme.Token, map[string]any{
			"name": "Heartland", "config": map[string]any{"base_url": "https://x.test"},
			"secrets": map[string]any{"client_secret": "abc", "api_token": nil},
		})
		if upd.Status != http.StatusOK {
			t.Fatalf("update: %d %s", upd.Status, upd.Raw)
		}
		if f := upd.Body["secret_fields"].([]any); len(f) != 1 || f[0] != "client_secret" {
			t.Fatalf("after update secret_fields = %v, want [client_secret]", f)
		}
		if get := h.do(http.MethodGet, "/api/v1/connections/"+id, acme.Token, nil); get.Status != http.StatusOK || get.Body["name"] != "Heartland" {
			t.Fatalf("get after update: %d %s", get.Status, get.Raw)
		}
		bad := h.do(http.MethodPost, "/api/v1/connections", acme.Token, map[string]any{"name": "x", "type": "ftp"})
		if bad.Status != http.StatusBadRequest || !strings.Contains(bad.Raw, `"field":"type"`) {
			t.Fatalf("unknown type: %d %s", bad.Status, bad.Raw)
		}
		dup := h.do(http.MethodPost, "/api/v1/connections", acme.Token, map[string]any{"name": "Heartland", "type": "http"})
		if dup.Status != http.StatusConflict {
			t.Fatalf("duplicate name: %d %s", dup.Status, dup.Raw)
		}
		if del := h.do(http.MethodDelete, "/api/v1/connections/"+id, acme.Token, nil); del.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", del.Status, del.Raw)
		}
		if get := h.do(http.MethodGet, "/api/v1/connections/"+id, acme.Token, nil); get.Status != http.StatusNotFound {
			t.Fatalf("get after delete: %d", get.Status)
		}
		audit, err := h.store.Tenant(acme.ID).AuditLog(context.Background(), 10)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, a := range audit {
			actions = append(actions, a.Action)
			if strings.Contains(string(a.Details), plaintext) {
				t.Errorf("audit entry %s holds the secret", a.Action)
			}
		}
		if got := strings.Join(actions, ","); got != "connection.delete,connection.update,connection.create,tenant.create" {
			t.Errorf("audit actions = %s", got)
		}
	})
}

func placeholder(dialect string) string {
	if dialect == "postgres" {
		return "$1"
	}
	return "?"
}

// One tenant's token never reaches another tenant's rows, through any route.
func TestCrossTenantIsolation(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect)
		a, b := h.tenant("alpha"), h.tenant("bravo")
		res := h.do(http.MethodPost, "/api/v1/connections", a.Token, map[string]any{"name": "A's ERP", "type": "epicor"})
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Raw)
		}
		id := res.Body["id"].(string)
		for _, tc := range []struct {
			method string
			body   any
		}{
			{http.MethodGet, nil},
			{http.MethodPut, map[string]any{"name": "stolen"}},
			{http.MethodDelete, nil},
		} {
			if got := h.do(tc.method, "/api/v1/connections/"+id, b.Token, tc.body); got.Status != http.StatusNotFound {
				t.Errorf("tenant B %s A's connection: %d %s, want 404", tc.method, got.Status, got.Raw)
			}
		}
		list := h.do(http.MethodGet, "/api/v1/connections", b.Token, nil)
		if conns := list.Body["connections"].([]any); len(conns) != 0 {
			t.Errorf("tenant B lists %d connections, want 0", len(conns))
		}
		if got := h.do(http.MethodGet, "/api/v1/connections/"+id, a.Token, nil); got.Status != http.StatusOK || got.Body["name"] != "A's ERP" {
			t.Errorf("tenant A lost its connection: %d %s", got.Status, got.Raw)
		}
	})
}

func TestBadInputIsRejectedAndChangesNothing(t *testing.T) {
	h := newHarness(t, "sqlite")
	acme := h.tenant("acme")
	tests := []struct {
		name, contentType string
		body              any
		wantStatus        int
		wantCode          string
	}{
		{"malformed JSON", "application/json", `{"name": "x", "type": `, http.StatusBadRequest, "invalid_request"},
		{"not an object", "application/json", `[1,2]`, http.StatusBadRequest, "invalid_request"},
		{"two objects", "application/json", `{"name":"a","type":"http"}{}`, http.StatusBadRequest, "invalid_request"},
		{"wrong type of field", "application/json", `{"name": 5, "type": "http"}`, http.StatusBadRequest, "invalid_request"},
		{"wrong content type", "text/plain", `{"name":"a","type":"http"}`, http.StatusUnsupportedMediaType, "unsupported_media_type"},
	}
	for _, tc := range tests {
		res := h.doWith(http.MethodPost, "/api/v1/connections", acme.Token, tc.contentType, tc.body)
		if res.Status != tc.wantStatus || res.errorCode() != tc.wantCode {
			t.Errorf("%s: got %d %q %s, want %d %q", tc.name, res.Status, res.errorCode(), trim(res.Raw), tc.wantStatus, tc.wantCode)
		}
		if msg := res.Body["error"]; msg == nil {
			t.Errorf("%s: no error message in %s", tc.name, trim(res.Raw))
		}
	}
	// An oversized body is refused by the HTTP server itself, from its
	// Content-Length, before the body is read: over a real socket, the request
	// announces 70 KiB and the answer is read before any body is sent.
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.serve(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/connections HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n", acme.Token, 70<<10)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(raw), `"code":"body_too_large"`) {
		t.Errorf("oversized body: %d %s", res.StatusCode, trim(string(raw)))
	}
	list := h.do(http.MethodGet, "/api/v1/connections", acme.Token, nil)
	if n := len(list.Body["connections"].([]any)); n != 0 {
		t.Errorf("%d connections exist after only bad requests", n)
	}
	if res := h.do(http.MethodGet, "/api/v1/nothing-here", acme.Token, nil); res.Status != http.StatusNotFound || res.errorCode() != "not_found" {
		t.Errorf("unknown route: %d %s", res.Status, res.Raw)
	}
}

func trim(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

func TestHealthAndReadiness(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		h := newHarness(t, dialect)
		if res := h.do(http.MethodGet, "/healthz", "", nil); res.Status != http.StatusOK {
			t.Errorf("healthz: %d", res.Status)
		}
		res := h.do(http.MethodGet, "/readyz", "", nil)
		if res.Status != http.StatusOK || res.Body["ready"] != true {
			t.Errorf("readyz: %d %s", res.Status, res.Raw)
		}
		h.store.Close()
		if res := h.do(http.MethodGet, "/readyz", "", nil); res.Status != http.StatusServiceUnavailable {
			t.Errorf("readyz with the database closed: %d %s, want 503", res.Status, res.Raw)
		}
	})
}

func TestServesTheWebApp(t *testing.T) {
	h := newHarness(t, "sqlite")
	for _, tc := range []struct {
		path, wantType, wantCache string
		wantStatus                int
	}{
		{"/", "text/html", "no-cache", http.StatusOK},
		{"/flows/some-id", "text/html", "no-cache", http.StatusOK},
		{"/assets/does-not-exist.js", "", "", http.StatusNotFound},
		{"/api/v1/unknown", "application/json", "", http.StatusUnauthorized},
		{"/hooks/nope", "application/json", "", http.StatusNotFound},
	} {
		method := http.MethodGet
		if strings.HasPrefix(tc.path, "/hooks/") {
			method = http.MethodPost
		}
		req := httptest.NewRequest(method, tc.path, nil)
		res, err := h.srv.App().Test(req, 10_000)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.wantStatus || !strings.HasPrefix(res.Header.Get("Content-Type"), tc.wantType) || res.Header.Get("Cache-Control") != tc.wantCache {
			t.Errorf("%s: %d %q cache %q", tc.path, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
		}
	}
	index := h.do(http.MethodGet, "/", "", nil)
	start := strings.Index(index.Raw, "/assets/")
	if start < 0 {
		t.Fatalf("index.html references no asset: %s", trim(index.Raw))
	}
	asset := index.Raw[start : start+strings.IndexAny(index.Raw[start:], `"' `)]
	req := httptest.NewRequest(http.MethodGet, asset, nil)
	res, _ := h.srv.App().Test(req, 10_000)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("%s: %d cache %q", asset, res.StatusCode, res.Header.Get("Cache-Control"))
	}
}
