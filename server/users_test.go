package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
)

// An invited user sets a password with the one-time token, signs in, is
// refused at once when disabled, and can be re-enabled and deleted; every
// change is audited.
func TestUserInviteResetDisableDelete(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect)
		acme := h.tenant("acme")
		inv := h.do(http.MethodPost, "/api/v1/users", acme.Token, map[string]string{"email": "ann@acme.test", "role": "support"})
		if inv.Status != http.StatusCreated {
			t.Fatalf("invite: %d %s", inv.Status, inv.Raw)
		}
		userID := inv.Body["user"].(map[string]any)["id"].(string)
		reset := inv.Body["reset_token"].(string)
		login := map[string]string{"email": "ann@acme.test", "password": "correct horse battery"}
		if r := h.do(http.MethodPost, "/api/v1/auth/token", "", login); r.Status != http.StatusUnauthorized {
			t.Errorf("login before choosing a password: %d", r.Status)
		}
		for _, tc := range []struct {
			name string
			body map[string]string
			code string
		}{
			{"short password", map[string]string{"token": reset, "password": "short"}, "invalid_request"},
			{"wrong token", map[string]string{"token": reset + "x", "password": login["password"]}, "invalid_reset_token"},
		} {
			if r := h.do(http.MethodPost, "/api/v1/auth/reset", "", tc.body); r.Status != http.StatusBadRequest || r.errorCode() != tc.code {
				t.Errorf("%s: %d %s, want 400 %s", tc.name, r.Status, r.Raw, tc.code)
			}
		}
		if r := h.do(http.MethodPost, "/api/v1/auth/reset", "", map[string]string{"token": reset, "password": login["password"]}); r.Status != http.StatusNoContent {
			t.Fatalf("reset: %d %s", r.Status, r.Raw)
		}
		if r := h.do(http.MethodPost, "/api/v1/auth/reset", "", map[string]string{"token": reset, "password": "another long password"}); r.Status != http.StatusBadRequest {
			t.Errorf("a reset token worked twice: %d", r.Status)
		}
		tok := h.do(http.MethodPost, "/api/v1/auth/token", "", login)
		if tok.Status != http.StatusOK {
			t.Fatalf("login: %d %s", tok.Status, tok.Raw)
		}
		annToken := tok.Body["access_token"].(string)
		if r := h.do(http.MethodGet, "/api/v1/flows", annToken, nil); r.Status != http.StatusOK {
			t.Fatalf("support reads flows: %d", r.Status)
		}
		if r := h.do(http.MethodPost, "/api/v1/flows", annToken, map[string]any{"name": "x"}); r.Status != http.StatusForbidden {
			t.Errorf("support creates a flow: %d, want 403", r.Status)
		}

		if r := h.do(http.MethodPatch, "/api/v1/users/"+userID, acme.Token, map[string]any{"role": "editor"}); r.Status != http.StatusOK || r.Body["role"] != "editor" {
			t.Fatalf("change role: %d %s", r.Status, r.Raw)
		}
		if r := h.do(http.MethodPost, "/api/v1/flows", annToken, map[string]any{"name": "x"}); r.Status == http.StatusForbidden {
			t.Errorf("the new role did not take effect on the existing token: %d", r.Status)
		}
		if r := h.do(http.MethodPatch, "/api/v1/users/"+userID, acme.Token, map[string]any{"role": "owner"}); r.Status != http.StatusBadRequest {
			t.Errorf("unknown role: %d", r.Status)
		}
		if r := h.do(http.MethodPatch, "/api/v1/users/"+userID, acme.Token, map[string]any{"disabled": true}); r.Status != http.StatusOK {
			t.Fatalf("disable: %d %s", r.Status, r.Raw)
		}
		if r := h.do(http.MethodGet, "/api/v1/flows", annToken, nil); r.Status != http.StatusUnauthorized || r.errorCode() != "token_revoked" {
			t.Errorf("token of a disabled user: %d %s, want 401 token_revoked", r.Status, r.Raw)
		}
		if r := h.do(http.MethodPost, "/api/v1/auth/token", "", login); r.Status != http.StatusUnauthorized {
			t.Errorf("disabled user signs in: %d", r.Status)
		}
		if r := h.do(http.MethodPatch, "/api/v1/users/"+userID, acme.Token, map[string]any{"disabled": false}); r.Status != http.StatusOK {
			t.Fatalf("enable: %d", r.Status)
		}
		if r := h.do(http.MethodGet, "/api/v1/flows", annToken, nil); r.Status != http.StatusOK {
			t.Errorf("token after re-enabling: %d", r.Status)
		}
		if r := h.do(http.MethodPost, "/api/v1/users/"+userID+"/reset-token", acme.Token, nil); r.Status != http.StatusCreated || r.Body["reset_token"] == "" {
			t.Errorf("reset token: %d %s", r.Status, r.Raw)
		}
		if r := h.do(http.MethodDelete, "/api/v1/users/"+userID, acme.Token, nil); r.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", r.Status, r.Raw)
		}
		if r := h.do(http.MethodGet, "/api/v1/flows", annToken, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("token of a deleted user: %d", r.Status)
		}
		users := h.do(http.MethodGet, "/api/v1/users", acme.Token, nil)
		if list := users.Body["users"].([]any); len(list) != 1 {
			t.Errorf("users after delete: %s", users.Raw)
		}
		actions := auditActions(h.do(http.MethodGet, "/api/v1/audit", acme.Token, nil))
		for _, a := range []string{"user.create", "user.password_reset", "user.update", "user.reset_token", "user.delete"} {
			if !actions[a] {
				t.Errorf("audit log lacks %s", a)
			}
		}
	})
}

func TestAPIKeysCreateListRevokeExpire(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect)
		acme := h.tenant("acme")
		created := h.do(http.MethodPost, "/api/v1/api-keys", acme.Token, map[string]any{"name": "ci", "role": "viewer"})
		if created.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", created.Status, created.Raw)
		}
		key, keyID := created.Body["key"].(string), created.Body["id"].(string)
		list := h.do(http.MethodGet, "/api/v1/api-keys", acme.Token, nil)
		for _, k := range list.Body["api_keys"].([]any) {
			m := k.(map[string]any)
			if _, ok := m["key"]; ok {
				t.Errorf("the list shows a key: %v", m)
			}
			if _, ok := m["key_hash"]; ok {
				t.Errorf("the list shows a key hash: %v", m)
			}
		}
		if len(list.Body["api_keys"].([]any)) != 2 {
			t.Errorf("list: %s", list.Raw)
		}
		tok := h.do(http.MethodPost, "/api/v1/auth/token", "", map[string]string{"api_key": key})
		if tok.Status != http.StatusOK {
			t.Fatalf("token: %d", tok.Status)
		}
		viewer := tok.Body["access_token"].(string)
		if r := h.do(http.MethodDelete, "/api/v1/connections/x", viewer, nil); r.Status != http.StatusForbidden {
			t.Errorf("viewer key deletes: %d, want 403", r.Status)
		}
		if r := h.do(http.MethodDelete, "/api/v1/api-keys/"+keyID, acme.Token, nil); r.Status != http.StatusOK || r.Body["revoked_at"] == nil {
			t.Fatalf("revoke: %d %s", r.Status, r.Raw)
		}
		if r := h.do(http.MethodGet, "/api/v1/flows", viewer, nil); r.Status != http.StatusUnauthorized || r.errorCode() != "token_revoked" {
			t.Errorf("token of a revoked key: %d %s, want 401 token_revoked", r.Status, r.Raw)
		}
		if r := h.do(http.MethodPost, "/api/v1/auth/token", "", map[string]string{"api_key": key}); r.Status != http.StatusUnauthorized {
			t.Errorf("revoked key exchanged: %d", r.Status)
		}
		past := h.do(http.MethodPost, "/api/v1/api-keys", acme.Token, map[string]any{"name": "old", "role": "viewer", "expires_at": time.Now().Add(-time.Hour)})
		if past.Status != http.StatusBadRequest {
			t.Errorf("key expiring in the past: %d", past.Status)
		}
		actions := auditActions(h.do(http.MethodGet, "/api/v1/audit", acme.Token, nil))
		if !actions["api_key.create"] || !actions["api_key.revoke"] {
			t.Errorf("audit log lacks key changes: %v", actions)
		}
	})
}
