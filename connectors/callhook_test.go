package connectors

import (
	"context"
	"sync/atomic"
	"testing"
)

// callRecorder is a CallHook that records what it saw.
type callRecorder struct {
	calls []string
	errs  []error
}

func (r *callRecorder) StartCall(ctx context.Context, system, operation string) (context.Context, func(error)) {
	r.calls = append(r.calls, system+"."+operation)
	return ctx, func(err error) { r.errs = append(r.errs, err) }
}

func TestInvokerReportsCallsToTheHook(t *testing.T) {
	t.Parallel()
	var opens atomic.Int32
	reg, err := NewRegistry(echoSystem(&opens))
	if err != nil {
		t.Fatal(err)
	}
	rec := &callRecorder{}
	iv := NewInvoker(reg, Env{Calls: rec})
	conn := Connection{ID: "c1", Type: "echo"}
	if _, err := iv.Invoke(context.Background(), conn, "get", map[string]any{"key": "k"}); err != nil {
		t.Fatal(err)
	}
	if _, err := iv.Invoke(context.Background(), conn, "get", map[string]any{}); err == nil {
		t.Fatal("invalid input was accepted")
	}
	if len(rec.calls) != 1 || rec.calls[0] != "echo.get" || rec.errs[0] != nil {
		t.Errorf("hook saw %v / %v, want one successful echo.get (invalid input never reaches the system)", rec.calls, rec.errs)
	}
}
