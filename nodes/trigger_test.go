package nodes_test

import (
	"context"
	"testing"
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
)

func TestWebhook(t *testing.T) {
	t.Parallel()
	w := mustNode(t, "trigger.webhook", `{}`).(*nodes.Webhook)
	if w.AuthMode() != nodes.AuthHMAC || w.SignatureHeader() != nodes.DefaultSignatureHeader || w.Sample() != nil {
		t.Errorf("defaults = %q %q %v", w.AuthMode(), w.SignatureHeader(), w.Sample())
	}
	if key, err := w.DedupeKey(map[string]any{"id": 1}); key != "" || err != nil {
		t.Errorf("DedupeKey without program = %q, %v", key, err)
	}
	in := input(t, `{"order":{"id":5}}`)
	out, err := run(t, w, in)
	if err != nil || toJSON(t, out.Output) != `{"order":{"id":5}}` {
		t.Errorf("Run = %v, %v; want the payload", out.Output, err)
	}

	w = mustNode(t, "trigger.webhook", `{"auth":{"mode":"token","header":"X-Sig"},"dedupe_key":".order.id","sample":{"order":{"id":1}}}`).(*nodes.Webhook)
	if w.AuthMode() != nodes.AuthToken || w.SignatureHeader() != "X-Sig" || toJSON(t, w.Sample()) != `{"order":{"id":1}}` {
		t.Errorf("config = %q %q %v", w.AuthMode(), w.SignatureHeader(), w.Sample())
	}
	tests := []struct {
		payload any
		want    string
	}{
		{[]byte(`{"order":{"id":10234}}`), "10234"},
		{map[string]any{"order": map[string]any{"id": "HL-1"}}, "HL-1"},
		{map[string]any{"order": map[string]any{"id": []any{1, 2}}}, "[1,2]"},
		{map[string]any{}, ""},
	}
	for _, tt := range tests {
		if key, err := w.DedupeKey(tt.payload); err != nil || key != tt.want {
			t.Errorf("DedupeKey(%v) = %q, %v; want %q", tt.payload, key, err, tt.want)
		}
	}
	if _, err := w.DedupeKey([]byte(`{"order":"x"}`)); err == nil {
		t.Errorf("DedupeKey over a payload the program cannot index succeeded")
	}
	if _, err := w.DedupeKey([]byte(`{`)); err == nil {
		t.Errorf("DedupeKey over malformed JSON succeeded")
	}
}

func TestSchedule(t *testing.T) {
	t.Parallel()
	s := mustNode(t, "trigger.schedule", `{"cron":"*/15 * * * *"}`).(*nodes.Schedule)
	if got, want := s.Next(epoch.Add(time.Minute)), epoch.Add(15*time.Minute); !got.Equal(want) {
		t.Errorf("cron Next = %s, want %s", got, want)
	}
	s = mustNode(t, "trigger.schedule", `{"interval":"1h"}`).(*nodes.Schedule)
	if got, want := s.Next(epoch), epoch.Add(time.Hour); !got.Equal(want) {
		t.Errorf("interval Next = %s, want %s", got, want)
	}
	if got := nodes.SchedulePayload(epoch); got["scheduled_at"] != "2026-03-01T12:00:00Z" {
		t.Errorf("SchedulePayload = %v", got)
	}
	tests := []struct{ config, field, msg string }{
		{`{}`, "config.cron", "set cron or interval"},
		{`{"cron":"@hourly","interval":"1h"}`, "config.cron", "not both"},
		{`{"cron":"61 * * * *"}`, "config.cron", "invalid cron expression"},
		{`{"interval":"1s"}`, "config.interval", "at least 10s"},
		{`{"interval":"often"}`, "config.interval", "must be a duration"},
	}
	for _, tt := range tests {
		_, err := compileNode(t, "trigger.schedule", tt.config, engine.Env{}, nodes.Deps{})
		wantProblem(t, err, tt.field, tt.msg)
	}
}

func TestEvent(t *testing.T) {
	t.Parallel()
	e := mustNode(t, "trigger.event", `{"event":"epicor.order.shipped"}`).(*nodes.Event)
	if e.Name() != "epicor.order.shipped" {
		t.Errorf("Name = %q", e.Name())
	}
	_, err := compileNode(t, "trigger.event", `{}`, engine.Env{}, nodes.Deps{})
	wantProblem(t, err, "config.event", "is required")
}

func TestTriggerOf(t *testing.T) {
	t.Parallel()
	reg := engine.NewRegistry()
	nodes.Register(reg, nodes.Deps{})
	flow, err := engine.ParseFlow([]byte(`{"nodes":[{"id":"hook","type":"trigger.webhook","config":{"auth":{"mode":"none"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := engine.Compile(context.Background(), flow, reg, engine.Env{})
	if err != nil {
		t.Fatal(err)
	}
	w, ok := nodes.TriggerOf[*nodes.Webhook](plan)
	if !ok || w.AuthMode() != nodes.AuthNone {
		t.Errorf("TriggerOf[*Webhook] = %v, %v", w, ok)
	}
	if _, ok := nodes.TriggerOf[*nodes.Schedule](plan); ok {
		t.Errorf("TriggerOf[*Schedule] matched a webhook trigger")
	}
}
