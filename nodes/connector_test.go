package nodes_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
)

// recordingConnectors answers Operation from a fixed table and records Invoke calls.
type recordingConnectors struct {
	calls []engine.ConnectorCall
	err   error
}

func (r *recordingConnectors) Operation(_ context.Context, conn, op string) (engine.OperationInfo, error) {
	switch {
	case conn != "epicor":
		return engine.OperationInfo{}, &engine.NotFoundError{ConnectionID: conn}
	case op == "create_sales_order":
		return engine.OperationInfo{Writes: true, InputSchema: []byte(`{"type":"object","required":["CustNum"],"properties":{"CustNum":{"type":"integer","minimum":1}}}`)}, nil
	case op == "broken":
		return engine.OperationInfo{InputSchema: []byte(`{"type":`)}, nil
	case op == "lookup_fails":
		return engine.OperationInfo{}, errors.New("catalog offline")
	}
	return engine.OperationInfo{}, &engine.NotFoundError{ConnectionID: conn, Operation: op}
}

func (r *recordingConnectors) Invoke(_ context.Context, call engine.ConnectorCall) (any, error) {
	r.calls = append(r.calls, call)
	if r.err != nil {
		return nil, r.err
	}
	return map[string]any{"OrderNum": 5012}, nil
}

func TestConnectorInvokes(t *testing.T) {
	t.Parallel()
	conns := &recordingConnectors{}
	n, err := compileNode(t, "connector", `{"connection":"epicor","operation":"create_sales_order","input":"{CustNum: .customer}"}`, engine.Env{Connectors: conns}, nodes.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	in := input(t, `{"customer":12}`)
	in.StepKey = "n[2]"
	out, err := run(t, n, in)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := toJSON(t, out.Output); got != `{"OrderNum":5012}` {
		t.Errorf("output = %s", got)
	}
	if len(conns.calls) != 1 {
		t.Fatalf("%d calls", len(conns.calls))
	}
	if !n.(engine.SideEffecter).SideEffects() {
		t.Errorf("writing operation reports no side effects")
	}
	c := conns.calls[0]
	if c.ConnectionID != "epicor" || c.Operation != "create_sales_order" || toJSON(t, c.Input) != `{"CustNum":12}` ||
		c.RunID != "run-1" || c.StepKey != "n[2]" || c.IdempotencyKey != "run-1:n[2]" {
		t.Errorf("call = %+v", c)
	}
}

func TestConnectorErrors(t *testing.T) {
	t.Parallel()
	conns := &recordingConnectors{err: &engine.TransientError{Err: errors.New("epicor: 503"), After: time.Second}}
	n, _ := compileNode(t, "connector", `{"connection":"epicor","operation":"create_sales_order"}`, engine.Env{Connectors: conns}, nodes.Deps{})

	_, err := run(t, n, input(t, `{"CustNum":0}`))
	if err == nil || !strings.Contains(err.Error(), "CustNum: must be at least 1") || len(conns.calls) != 0 {
		t.Errorf("invalid input: error %v after %d calls, want a schema error and no call", err, len(conns.calls))
	}
	_, err = run(t, n, input(t, `{"CustNum":12}`))
	if !engine.Retryable(err) || engine.RetryAfter(err) != time.Second || !strings.Contains(err.Error(), "epicor.create_sales_order: epicor: 503") {
		t.Errorf("invoke error = %v, want the connector's retryable error, prefixed", err)
	}
}

func TestConnectorConfigProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		config string
		env    engine.Env
		field  string
		msg    string
	}{
		{`{"connection":"epicor","operation":"x"}`, engine.Env{}, "config.connection", "no connections are available"},
		{`{"connection":"hl","operation":"x"}`, engine.Env{Connectors: &recordingConnectors{}}, "config.connection", `connection "hl" does not exist`},
		{`{"connection":"epicor","operation":"x"}`, engine.Env{Connectors: &recordingConnectors{}}, "config.operation", `no operation "x"`},
		{`{"connection":"epicor","operation":"lookup_fails"}`, engine.Env{Connectors: &recordingConnectors{}}, "config.connection", "catalog offline"},
		{`{"connection":"epicor","operation":"broken"}`, engine.Env{Connectors: &recordingConnectors{}}, "config.operation", "unreadable input schema"},
		{`{"connection":"epicor","operation":"create_sales_order","input":"{"}`, engine.Env{Connectors: &recordingConnectors{}}, "config.input", "jq syntax error"},
		{`{"operation":"create_sales_order"}`, engine.Env{Connectors: &recordingConnectors{}}, "config.connection", "is required"},
	}
	for _, tt := range tests {
		_, err := compileNode(t, "connector", tt.config, tt.env, nodes.Deps{})
		wantProblem(t, err, tt.field, tt.msg)
	}
}
