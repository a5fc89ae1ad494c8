package connections_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/builtin"
	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/connections"
	"github.com/bridgework/bridgework/internal/secret"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/sandbox"
	"github.com/bridgework/bridgework/sandbox/fault"
	"github.com/bridgework/bridgework/store"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// fixture is a tenant with an Epicor connection to a running sandbox.
type fixture struct {
	svc      *connections.Service
	erp      engine.Connectors
	sb       *sandbox.Running
	connID   string
	custNum  any
	tenantID string
}

func newFixture(t *testing.T, dialect string) *fixture {
	t.Helper()
	ctx := context.Background()
	sb, err := sandbox.Start(ctx, sandbox.Options{HeartlandListen: "127.0.0.1:0", EpicorListen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	st := testdb.Open(t, dialect)
	box, _ := secret.NewBox(bytes.Repeat([]byte{3}, 32))
	reg := builtin.Registry()
	svc := &connections.Service{Store: st, Box: box, Registry: reg, Invoker: connectors.NewInvoker(reg, connectors.Env{})}
	tenant := &store.Tenant{Slug: "acme", Name: "Acme"}
	if err := st.CreateTenant(ctx, tenant, &store.User{Email: "a@acme.test", PasswordHash: "x", Role: "admin"},
		&store.APIKey{Name: "k", Prefix: "p", KeyHash: "h", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	conn := &store.Connection{ID: store.NewID(), TenantID: tenant.ID, Name: "ERP", Type: "epicor",
		Config: store.JSON(`{"base_url":"` + sb.EpicorURL + `","instance":"kinetic","company":"EPIC06","timeout_seconds":1,"max_attempts":1}`)}
	if err := svc.SealSecrets(conn, map[string]string{"api_key": "sandbox-api-key", "username": "manager", "password": "manager"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Tenant(tenant.ID).CreateConnection(ctx, conn); err != nil {
		t.Fatal(err)
	}
	customers := sb.Epicor.Rows("Customers", nil)
	return &fixture{svc: svc, erp: svc.For(tenant.ID), sb: sb, connID: conn.ID, custNum: customers[0]["CustNum"], tenantID: tenant.ID}
}

func (f *fixture) createOrder(ctx context.Context, runID, po string, custNum any) (any, error) {
	return f.erp.Invoke(ctx, engine.ConnectorCall{ConnectionID: f.connID, Operation: "create_sales_order",
		Input: map[string]any{"CustNum": custNum, "PONum": po}, RunID: runID, StepKey: "create", IdempotencyKey: runID + "/create"})
}

func (f *fixture) orderPOSTs() int {
	n := 0
	for _, e := range f.sb.Epicor.Requests().Since(0) {
		if e.Method == http.MethodPost && strings.HasSuffix(e.Path, "/SalesOrders") {
			n++
		}
	}
	return n
}

// A write whose answer is lost is looked up before it is sent again, so the
// retry finds the order instead of creating a second one; later runs and
// replays of the same order reuse the ledger entry without calling Epicor.
func TestLedgerMakesWritesExactlyOnce(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		if err := f.sb.Epicor.Faults().Set(fault.Config{WriteTimeout: &fault.WriteTimeout{Mode: "delay", DelayMS: 2500, Count: 1}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.createOrder(ctx, "run-1", "HL-10234", f.custNum); err == nil {
			t.Fatal("the first attempt should have timed out")
		}
		if got := len(f.sb.Epicor.Rows("SalesOrders", map[string]any{"PONum": "HL-10234"})); got != 1 {
			t.Fatalf("the timed-out write was applied %d times, want 1", got)
		}
		out, err := f.createOrder(ctx, "run-1", "HL-10234", f.custNum)
		if err != nil {
			t.Fatalf("retry: %v", err)
		}
		if rec, _ := out.(map[string]any); rec["PONum"] != "HL-10234" || rec["OrderNum"] == nil {
			t.Fatalf("retry returned %v, want the existing order", out)
		}
		if _, err := f.createOrder(ctx, "run-2", "HL-10234", f.custNum); err != nil {
			t.Fatalf("a second run for the same order: %v", err)
		}
		if got := len(f.sb.Epicor.Rows("SalesOrders", map[string]any{"PONum": "HL-10234"})); got != 1 {
			t.Fatalf("%d sales orders for one Heartland order, want 1", got)
		}
		if n := f.orderPOSTs(); n != 1 {
			t.Fatalf("%d POSTs reached Epicor, want 1", n)
		}
		if _, err := f.erp.Invoke(connections.WithForcedEffects(ctx), engine.ConnectorCall{ConnectionID: f.connID, Operation: "create_sales_order",
			Input: map[string]any{"CustNum": f.custNum, "PONum": "HL-10234"}, RunID: "run-3", StepKey: "create"}); err != nil {
			t.Fatalf("forced replay: %v", err)
		}
		if n := f.orderPOSTs(); n != 2 {
			t.Fatalf("a forced replay sent %d POSTs in all, want 2", n)
		}
	})
}

// A write the target rejected did not happen: the ledger forgets it and the
// next attempt sends it again.
func TestLedgerForgetsRejectedWrites(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "sqlite")
	_, err := f.createOrder(ctx, "run-1", "HL-1", 99999999)
	if err == nil || engine.Retryable(err) {
		t.Fatalf("unknown customer: err = %v, want a permanent error", err)
	}
	if _, err := f.createOrder(ctx, "run-1", "HL-1", f.custNum); err != nil {
		t.Fatalf("the corrected write was refused: %v", err)
	}
	if n := f.orderPOSTs(); n != 2 {
		t.Fatalf("%d POSTs, want 2 (rejected, then accepted)", n)
	}
	var nf *engine.NotFoundError
	if _, err := f.erp.Invoke(ctx, engine.ConnectorCall{ConnectionID: f.connID, Operation: "launch_rocket"}); !errors.As(err, &nf) {
		t.Fatalf("unknown operation: %v", err)
	}
}
