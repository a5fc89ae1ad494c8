package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/internal/config"
	"github.com/bridgework/bridgework/internal/secret"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

func TestRotateKeyCommand(t *testing.T) {
	url := testdb.URL(t, "sqlite")
	oldKey, newKey := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	env := map[string]string{
		"BRIDGEWORK_DATABASE_URL":   url,
		"BRIDGEWORK_SECRET_KEY":     base64.StdEncoding.EncodeToString(newKey),
		"BRIDGEWORK_OLD_SECRET_KEY": base64.StdEncoding.EncodeToString(oldKey),
	}
	if code, _, stderr := runCmd(t, map[string]string{"BRIDGEWORK_DATABASE_URL": url, "BRIDGEWORK_OLD_SECRET_KEY": ""}, "rotate-key"); code != 2 || !strings.Contains(stderr, "BRIDGEWORK_OLD_SECRET_KEY") {
		t.Fatalf("without the old key: exit %d, %q", code, stderr)
	}

	ctx := context.Background()
	db, _ := config.ParseDatabaseURL(url)
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	tenant := &store.Tenant{Name: "Acme", Slug: "acme"}
	if err := st.CreateTenant(ctx, tenant, &store.User{Email: "a@acme.test", PasswordHash: "!", Role: "admin"},
		&store.APIKey{Name: "k", Prefix: "p", KeyHash: "h", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	oldBox, _ := secret.NewBox(oldKey)
	conn := &store.Connection{ID: store.NewID(), Name: "ERP", Type: "epicor", Config: store.JSON(`{}`)}
	conn.Secrets, _ = oldBox.Seal([]byte(`{"password":"p1"}`), secret.ConnectionAAD(tenant.ID, conn.ID))
	if err := st.Tenant(tenant.ID).CreateConnection(ctx, conn); err != nil {
		t.Fatal(err)
	}
	st.Close()

	code, stdout, stderr := runCmd(t, env, "rotate-key")
	if code != 0 || !strings.Contains(stdout, "re-encrypted 1 stored secrets") {
		t.Fatalf("rotate-key: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	st, err = store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, _ := st.Tenant(tenant.ID).Connection(ctx, conn.ID)
	newBox, _ := secret.NewBox(newKey)
	if plain, err := newBox.Open(got.Secrets, secret.ConnectionAAD(tenant.ID, conn.ID)); err != nil || string(plain) != `{"password":"p1"}` {
		t.Errorf("after rotate-key the connection opens under the new key as %q, %v", plain, err)
	}
}
