package alert_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/alert"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// inbox collects what the local receivers got.
type inbox struct {
	mu    sync.Mutex
	items []string
}

func (b *inbox) add(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.items = append(b.items, s)
}

// take returns and clears what arrived.
func (b *inbox) take() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.items
	b.items = nil
	return out
}

// httpReceiver records the bodies POSTed to it.
func httpReceiver(tb testing.TB) (string, *inbox) {
	tb.Helper()
	box := &inbox{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		box.add(string(b))
	}))
	tb.Cleanup(srv.Close)
	return srv.URL, box
}

// smtpSink is a minimal SMTP server on loopback recording each message's data.
func smtpSink(tb testing.TB) (string, *inbox) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	box := &inbox{}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go serveSMTP(conn, box)
		}
	}()
	return ln.Addr().String(), box
}

func serveSMTP(conn net.Conn, box *inbox) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	reply := func(s string) { fmt.Fprintf(conn, "%s\r\n", s) }
	reply("220 sink ready")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			reply("250 sink")
		case strings.HasPrefix(cmd, "DATA"):
			reply("354 go ahead")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(l)
			}
			box.add(data.String())
			reply("250 queued")
		case strings.HasPrefix(cmd, "QUIT"):
			reply("221 bye")
			return
		default: // MAIL, RCPT, RSET, NOOP
			reply("250 ok")
		}
	}
}

// fixture is a tenant with one flow on a fresh database, and an evaluator
// on a clock the test moves.
type fixture struct {
	st       *store.Store
	ts       *store.Scoped
	flow     *store.Flow
	version  *store.FlowVersion
	now      time.Time
	eval     *alert.Evaluator
	hook     *inbox
	slack    *inbox
	mail     *inbox
	hookURL  string
	slackURL string
}

func newFixture(t *testing.T, dialect string) *fixture {
	t.Helper()
	ctx := context.Background()
	st := testdb.Open(t, dialect)
	tn := &store.Tenant{Slug: "acme", Name: "Acme"}
	if err := st.CreateTenant(ctx, tn, &store.User{Email: "a@acme.test", PasswordHash: "x", Role: "admin"},
		&store.APIKey{Name: "k", Prefix: "acme", KeyHash: "h", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	ts := st.Tenant(tn.ID)
	flow := &store.Flow{Name: "orders"}
	version, err := ts.CreateFlow(ctx, flow, store.JSON(`{}`), "test")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, ts: ts, flow: flow, version: version, now: time.Now().Add(time.Minute)}
	f.hookURL, f.hook = httpReceiver(t)
	f.slackURL, f.slack = httpReceiver(t)
	smtpAddr, mail := smtpSink(t)
	f.mail = mail
	f.eval = &alert.Evaluator{Store: st, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return f.now },
		Notifier: &alert.Notifier{HTTPClient: &http.Client{Timeout: 5 * time.Second},
			SMTP: alert.SMTP{Addr: smtpAddr, From: "alerts@bridgework.test"}}}
	return f
}

// runs records n finished runs of the flow with the status.
func (f *fixture) runs(t *testing.T, n int, status string) {
	t.Helper()
	ctx := context.Background()
	for range n {
		r := &store.Run{FlowID: f.flow.ID, FlowVersionID: f.version.ID, Payload: store.JSON(`{}`)}
		if err := f.ts.CreateRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		if err := f.ts.SetRunOutcome(ctx, r.ID, status, "boom", ""); err != nil {
			t.Fatal(err)
		}
	}
}

func (f *fixture) rule(t *testing.T, r store.AlertRule) *store.AlertRule {
	t.Helper()
	r.Enabled = true
	if problems := alert.Check(&r); len(problems) > 0 {
		t.Fatalf("rule does not check: %+v", problems)
	}
	if err := f.ts.CreateAlertRule(context.Background(), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// evaluate advances the clock by d and evaluates the tenant's rules.
func (f *fixture) evaluate(t *testing.T, d time.Duration) {
	t.Helper()
	f.now = f.now.Add(d)
	if err := f.eval.EvaluateTenant(context.Background(), f.ts.TenantID()); err != nil {
		t.Fatalf("evaluate: %v", err)
	}
}

func wantCount(t *testing.T, what string, got []string, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("%s: got %d notifications, want %d: %q", what, len(got), n, got)
	}
}

func TestFailureRateFiresRepeatsAndResolves(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		f := newFixture(t, dialect)
		channels := fmt.Sprintf(`[{"type":"webhook","url":%q},{"type":"slack","url":%q},{"type":"email","to":["ops@acme.test"]}]`,
			f.hookURL, f.slackURL)
		rule := f.rule(t, store.AlertRule{Name: "orders failing", Kind: alert.KindFailureRate, FlowID: f.flow.ID,
			Threshold: 50, WindowSeconds: 3600, RepeatSeconds: 1800, Channels: store.JSON(channels)})

		f.runs(t, 4, store.RunSucceeded)
		f.runs(t, 2, store.RunFailed)
		f.evaluate(t, 0)
		wantCount(t, "33% failures, below 50%", f.hook.take(), 0)

		f.runs(t, 4, store.RunFailed) // 6 of 10 failed
		f.evaluate(t, time.Minute)
		hooks := f.hook.take()
		wantCount(t, "crossing the threshold", hooks, 1)
		var n alert.Notification
		if err := json.Unmarshal([]byte(hooks[0]), &n); err != nil {
			t.Fatal(err)
		}
		if n.Status != "firing" || n.RuleID != rule.ID || n.Value != 60 || n.AlertID == "" || n.TenantID != f.ts.TenantID() {
			t.Errorf("webhook notification = %+v, want firing at 60%% with ids", n)
		}
		slack := f.slack.take()
		wantCount(t, "slack", slack, 1)
		if !strings.Contains(slack[0], `"text":"[FIRING] orders failing: failure rate`) {
			t.Errorf("slack body = %s", slack[0])
		}
		mails := f.mail.take()
		wantCount(t, "mail", mails, 1)
		if !strings.Contains(mails[0], "Subject: [Bridgework] [FIRING] orders failing") || !strings.Contains(mails[0], "To: ops@acme.test") {
			t.Errorf("mail = %q", mails[0])
		}

		f.evaluate(t, 10*time.Minute)
		wantCount(t, "still firing within the repeat interval", f.hook.take(), 0)
		f.evaluate(t, 25*time.Minute) // 35 minutes after the first notification
		wantCount(t, "still firing after the repeat interval", f.hook.take(), 1)
		wantCount(t, "mail repeated after the repeat interval", f.mail.take(), 1)

		f.runs(t, 20, store.RunSucceeded) // 6 of 30 failed
		f.evaluate(t, time.Minute)
		hooks = f.hook.take()
		wantCount(t, "recovered", hooks, 1)
		if !strings.Contains(hooks[0], `"status":"resolved"`) {
			t.Errorf("recovery notification = %s", hooks[0])
		}
		wantCount(t, "mail on recovery", f.mail.take(), 1)

		alerts, err := f.ts.ListAlerts(context.Background(), rule.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(alerts) != 1 || alerts[0].Status != store.AlertStatusResolved || alerts[0].ResolvedAt == nil || alerts[0].Notifications != 3 {
			t.Fatalf("alert history = %+v, want one resolved episode notified 3 times", alerts)
		}
		got, err := f.ts.AlertRule(context.Background(), rule.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != store.AlertOK || got.FiringAlertID != "" {
			t.Errorf("rule state = %s (episode %q), want ok", got.State, got.FiringAlertID)
		}
	})
}

func TestSilentFlowFiresAndSilenceSuppresses(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		f := newFixture(t, dialect)
		rule := f.rule(t, store.AlertRule{Name: "orders silent", Kind: alert.KindNoRuns, FlowID: f.flow.ID,
			WindowSeconds: 900, Channels: store.JSON(fmt.Sprintf(`[{"type":"webhook","url":%q}]`, f.hookURL))})
		f.runs(t, 1, store.RunSucceeded)
		f.evaluate(t, 0)
		wantCount(t, "a run within the window", f.hook.take(), 0)

		until := f.now.Add(time.Hour)
		if err := f.ts.SilenceAlertRule(context.Background(), rule.ID, &until); err != nil {
			t.Fatal(err)
		}
		f.evaluate(t, 20*time.Minute) // no run for 20 minutes: fires, silenced
		wantCount(t, "silenced", f.hook.take(), 0)
		got, err := f.ts.AlertRule(context.Background(), rule.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != store.AlertFiring {
			t.Fatalf("silenced rule state = %s, want firing (silence mutes, it does not stop evaluation)", got.State)
		}

		f.evaluate(t, time.Hour) // the silence has ended, still no runs
		hooks := f.hook.take()
		wantCount(t, "after the silence", hooks, 1)
		if !strings.Contains(hooks[0], `"status":"firing"`) || !strings.Contains(hooks[0], "0 runs of flow") {
			t.Errorf("notification = %s", hooks[0])
		}
	})
}

func TestCheckRejectsBadRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		rule  store.AlertRule
		field string
	}{
		{"unknown kind", store.AlertRule{Name: "x", Kind: "cpu", WindowSeconds: 60, Channels: store.JSON(`[{"type":"webhook","url":"http://a"}]`)}, "kind"},
		{"no flow for no_runs", store.AlertRule{Name: "x", Kind: alert.KindNoRuns, WindowSeconds: 60, Channels: store.JSON(`[{"type":"webhook","url":"http://a"}]`)}, "flow_id"},
		{"rate over 100", store.AlertRule{Name: "x", Kind: alert.KindFailureRate, Threshold: 150, WindowSeconds: 60, Channels: store.JSON(`[{"type":"webhook","url":"http://a"}]`)}, "threshold"},
		{"short window", store.AlertRule{Name: "x", Kind: alert.KindP95Duration, WindowSeconds: 5, Channels: store.JSON(`[{"type":"webhook","url":"http://a"}]`)}, "window_seconds"},
		{"no channels", store.AlertRule{Name: "x", Kind: alert.KindDeadLetters, Channels: store.JSON(`[]`)}, "channels"},
		{"bad url", store.AlertRule{Name: "x", Kind: alert.KindDeadLetters, Channels: store.JSON(`[{"type":"slack","url":"ftp://a"}]`)}, "channels[0].url"},
		{"bad address", store.AlertRule{Name: "x", Kind: alert.KindDeadLetters, Channels: store.JSON(`[{"type":"email","to":["nobody"]}]`)}, "channels[0].to"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ps := alert.Check(&c.rule)
			found := false
			for _, p := range ps {
				found = found || p.Field == c.field
			}
			if !found {
				t.Errorf("problems = %+v, want one on %s", ps, c.field)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		values  []float64
		p, want float64
	}{
		{nil, 95, 0},
		{[]float64{3}, 95, 3},
		{[]float64{5, 1, 4, 2, 3}, 50, 3},
		{[]float64{10, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 95, 10},
	} {
		if got := alert.Percentile(c.values, c.p); got != c.want {
			t.Errorf("Percentile(%v, %v) = %v, want %v", c.values, c.p, got, c.want)
		}
	}
}
