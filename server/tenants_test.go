package server_test

import (
	"net/http"
	"testing"

	"github.com/bridgework/bridgework/internal/testdb"
)

func TestCreateTenant(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect)
		acme := h.tenant("acme")
		valid := map[string]string{"name": "Globex", "slug": "globex", "admin_email": "ops@globex.test"}

		tests := []struct {
			name       string
			token      string
			body       any
			wantStatus int
			wantCode   string
		}{
			{"no token", "", valid, http.StatusUnauthorized, "unauthenticated"},
			{"garbage token", "nonsense", valid, http.StatusUnauthorized, "unauthenticated"},
			{"tenant token", acme.Token, valid, http.StatusForbidden, "forbidden"},
			{"bad fields", adminToken, map[string]string{"name": "", "slug": "A B", "admin_email": "nope"}, http.StatusBadRequest, "invalid_request"},
			{"unknown field", adminToken, map[string]any{"name": "X", "slug": "xx-1", "admin_email": "a@b.test", "plan": "gold"}, http.StatusBadRequest, "invalid_request"},
			{"duplicate slug", adminToken, map[string]string{"name": "Acme 2", "slug": "acme", "admin_email": "x@acme.test"}, http.StatusConflict, "conflict"},
			{"admin token", adminToken, valid, http.StatusCreated, ""},
		}
		for _, tc := range tests {
			res := h.do(http.MethodPost, "/api/v1/tenants", tc.token, tc.body)
			if res.Status != tc.wantStatus || res.errorCode() != tc.wantCode {
				t.Errorf("%s: got %d %q (%s), want %d %q", tc.name, res.Status, res.errorCode(), res.Raw, tc.wantStatus, tc.wantCode)
			}
		}
		res := h.do(http.MethodPost, "/api/v1/tenants", adminToken, map[string]string{"name": "", "slug": "A B", "admin_email": "nope"})
		details, _ := res.Body["error"].(map[string]any)["details"].([]any)
		fields := map[string]bool{}
		for _, d := range details {
			fields[d.(map[string]any)["field"].(string)] = true
		}
		for _, f := range []string{"name", "slug", "admin_email"} {
			if !fields[f] {
				t.Errorf("validation details do not name field %q: %s", f, res.Raw)
			}
		}
		tenants, err := h.store.ListTenants(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(tenants) != 2 {
			t.Errorf("%d tenants exist after one rejected and two accepted requests, want 2", len(tenants))
		}
	})
}
