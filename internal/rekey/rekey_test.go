package rekey

import (
	"bytes"
	"context"
	"testing"

	"github.com/bridgework/bridgework/internal/secret"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func box(t testing.TB, b byte) *secret.Box {
	t.Helper()
	bx, err := secret.NewBox(bytes.Repeat([]byte{b}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return bx
}

func TestRotateReencryptsConnectionsAndHooks(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		ctx := context.Background()
		st := testdb.Open(t, dialect)
		oldBox, newBox := box(t, 1), box(t, 2)
		tenant := &store.Tenant{Name: "Acme", Slug: "acme"}
		if err := st.CreateTenant(ctx, tenant, &store.User{Email: "a@acme.test", PasswordHash: "!", Role: "admin"},
			&store.APIKey{Name: "k", Prefix: "p", KeyHash: "h", Role: "admin"}); err != nil {
			t.Fatal(err)
		}
		ts := st.Tenant(tenant.ID)
		conn := &store.Connection{ID: store.NewID(), Name: "ERP", Type: "epicor", Config: store.JSON(`{}`)}
		conn.Secrets, _ = oldBox.Seal([]byte(`{"password":"p1"}`), secret.ConnectionAAD(tenant.ID, conn.ID))
		if err := ts.CreateConnection(ctx, conn); err != nil {
			t.Fatal(err)
		}
		f := &store.Flow{Name: "Orders"}
		if _, err := ts.CreateFlow(ctx, f, store.JSON(`{}`), "test"); err != nil {
			t.Fatal(err)
		}
		hook := &store.Hook{ID: store.NewID(), NodeID: "hook", AuthMode: "hmac", Header: "X-Sig"}
		hook.Secret, _ = oldBox.Seal([]byte("whsec_1"), secret.HookAAD(tenant.ID, hook.ID))
		if err := ts.PublishFlow(ctx, f.ID, 1, store.Triggers{Hook: hook}); err != nil {
			t.Fatal(err)
		}

		n, err := Rotate(ctx, st, oldBox, newBox)
		if err != nil || n != 2 {
			t.Fatalf("Rotate = %d, %v; want 2 values re-sealed", n, err)
		}
		gotConn, _ := ts.Connection(ctx, conn.ID)
		if plain, err := newBox.Open(gotConn.Secrets, secret.ConnectionAAD(tenant.ID, conn.ID)); err != nil || string(plain) != `{"password":"p1"}` {
			t.Errorf("connection under the new key: %q, %v", plain, err)
		}
		if _, err := oldBox.Open(gotConn.Secrets, secret.ConnectionAAD(tenant.ID, conn.ID)); err == nil {
			t.Error("the connection still opens under the old key")
		}
		gotHook, _ := ts.Hook(ctx, hook.ID)
		if plain, err := newBox.Open(gotHook.Secret, secret.HookAAD(tenant.ID, hook.ID)); err != nil || string(plain) != "whsec_1" {
			t.Errorf("hook under the new key: %q, %v", plain, err)
		}
		if n, err := Rotate(ctx, st, oldBox, newBox); err != nil || n != 0 {
			t.Errorf("a repeated rotation: %d, %v; want 0 and no error", n, err)
		}
		if _, err := Rotate(ctx, st, box(t, 3), box(t, 4)); err == nil {
			t.Error("rotating from a wrong key succeeded")
		}
		if again, _ := ts.Connection(ctx, conn.ID); !bytes.Equal(again.Secrets, gotConn.Secrets) {
			t.Error("a failed rotation changed stored secrets")
		}
	})
}
