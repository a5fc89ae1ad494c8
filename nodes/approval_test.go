package nodes_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
)

// desk is an in-memory nodes.Approvals and nodes.Batches: one request per
// step key, decided by the test.
type desk struct {
	mu       sync.Mutex
	requests map[string]*nodes.ApprovalState
	opened   []nodes.ApprovalRequest
	reminded int
	items    []nodes.BatchItem
	noRun    bool
}

func (d *desk) Open(_ context.Context, tenantID string, r nodes.ApprovalRequest) (nodes.ApprovalState, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.noRun {
		return nodes.ApprovalState{}, nodes.ErrNoRun
	}
	if st, ok := d.requests[r.StepKey]; ok {
		return *st, nil
	}
	if d.requests == nil {
		d.requests = map[string]*nodes.ApprovalState{}
	}
	d.opened = append(d.opened, r)
	st := &nodes.ApprovalState{ID: "a-" + r.StepKey, Title: r.Title, Status: "pending", ExpiresAt: r.ExpiresAt, CreatedAt: epoch}
	d.requests[r.StepKey] = st
	return *st, nil
}

func (d *desk) Expire(_ context.Context, _, id string, now time.Time) (nodes.ApprovalState, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, st := range d.requests {
		if st.ID == id && st.Status == "pending" {
			st.Status = map[string]string{"approve": "approved", "reject": "rejected", "timed_out": "timed_out"}[d.opened[0].OnTimeout]
			st.DecidedBy, st.DecidedAt = "timeout", now
			return *st, nil
		}
	}
	return nodes.ApprovalState{}, nil
}

func (d *desk) Remind(_ context.Context, _, id string, now time.Time) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.reminded++
	for _, st := range d.requests {
		if st.ID == id {
			st.RemindedAt = now
		}
	}
	return nil
}

func (d *desk) decide(key, status, comment string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.requests[key]
	st.Status, st.DecidedBy, st.DecidedAt, st.Comment = status, "user:u1", epoch.Add(time.Minute), comment
}

func (d *desk) Add(_ context.Context, _ string, it nodes.BatchItem) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.noRun {
		return 0, nodes.ErrNoRun
	}
	d.items = append(d.items, it)
	return len(d.items), nil
}

func deskNode(tb testing.TB, d *desk, typ, config string) engine.Node {
	tb.Helper()
	n, err := compileNode(tb, typ, config, engine.Env{TenantID: "t1"}, nodes.Deps{HTTPClient: &http.Client{}, Approvals: d, Batches: d})
	if err != nil {
		tb.Fatalf("compile %s %s: %v", typ, config, err)
	}
	return n
}

// The approval node opens its request once, suspends until the timeout,
// and settles on the decision's port once decided.
func TestApprovalSettlesOnDecision(t *testing.T) {
	t.Parallel()
	for _, status := range []string{"approved", "rejected"} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			d := &desk{}
			n := deskNode(t, d, "approval", `{"title":"\"Order \\(.order_number)\"","summary":".note","decide_within":"2h","approvers":{"roles":["admin"]}}`)
			in := input(t, `{"order_number":"10234","note":"large"}`)
			out, err := run(t, n, in)
			if err != nil || !out.SuspendUntil.Equal(epoch.Add(2*time.Hour)) {
				t.Fatalf("first run: %+v %v", out, err)
			}
			if r := d.opened[0]; r.Title != "Order 10234" || r.Summary != "large" || r.OnTimeout != "reject" || len(r.Roles) != 1 || r.Roles[0] != "admin" {
				t.Errorf("request %+v", r)
			}
			in.Now = epoch.Add(time.Minute)
			if out, _ := run(t, n, in); !out.SuspendUntil.Equal(epoch.Add(2 * time.Hour)) {
				t.Errorf("undecided re-execution suspends until %v", out.SuspendUntil)
			}
			d.decide("n", status, "ok by me")
			out, err = run(t, n, in)
			if err != nil || out.Port != status || toJSON(t, out.Output) != `{"approval_id":"a-n","comment":"ok by me","decided_at":"2026-03-01T12:01:00Z","decided_by":"user:u1","decision":"`+status+`","title":"Order 10234"}` {
				t.Errorf("decided run: port %q output %s %v", out.Port, toJSON(t, out.Output), err)
			}
			if len(d.opened) != 1 {
				t.Errorf("opened %d requests, want 1", len(d.opened))
			}
		})
	}
}

// Past the deadline the timeout action applies; reminders go out at their
// interval; the timed_out port exists only when on_timeout takes it.
func TestApprovalTimeoutAndReminders(t *testing.T) {
	t.Parallel()
	d := &desk{}
	n := deskNode(t, d, "approval", `{"title":"\"x\"","decide_within":"3h","on_timeout":"timed_out","remind_every":"1h"}`)
	if ports := n.(engine.PortLister).Ports(); len(ports) != 3 || ports[2] != "timed_out" {
		t.Errorf("ports %v", ports)
	}
	in := input(t, `{}`)
	if out, _ := run(t, n, in); !out.SuspendUntil.Equal(epoch.Add(time.Hour)) {
		t.Errorf("first wake-up at %v, want the first reminder", out.SuspendUntil)
	}
	in.Now = epoch.Add(time.Hour)
	if out, _ := run(t, n, in); !out.SuspendUntil.Equal(epoch.Add(2*time.Hour)) || d.reminded != 1 {
		t.Errorf("after the reminder: until %v, reminded %d", out.SuspendUntil, d.reminded)
	}
	in.Now = epoch.Add(3 * time.Hour)
	out, err := run(t, n, in)
	if err != nil || out.Port != "timed_out" || out.Output.(map[string]any)["decided_by"] != "timeout" {
		t.Errorf("after the deadline: %+v %v", out, err)
	}
	plain := deskNode(t, d, "approval", `{"title":"\"x\""}`)
	if ports := plain.(engine.PortLister).Ports(); len(ports) != 2 {
		t.Errorf("default ports %v", ports)
	}
}

// Without a stored run (an editor test run) the node suspends without a
// request; without the service the flow does not compile.
func TestApprovalWithoutStore(t *testing.T) {
	t.Parallel()
	n := deskNode(t, &desk{noRun: true}, "approval", `{"title":"\"x\""}`)
	if out, err := run(t, n, input(t, `{}`)); err != nil || !out.SuspendUntil.Equal(epoch.Add(nodes.DefaultApprovalTimeout)) {
		t.Errorf("test run: %+v %v", out, err)
	}
	_, err := compileNode(t, "approval", `{"title":"\"x\""}`, engine.Env{}, nodes.Deps{})
	wantProblem(t, err, "type", "approvals are not available")
	_, err = compileNode(t, "approval", `{"title":"\"x\"","on_timeout":"later"}`, engine.Env{}, nodes.Deps{Approvals: &desk{}})
	wantProblem(t, err, "config.on_timeout", "")
}
