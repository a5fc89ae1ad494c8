// Package alert evaluates tenants' alert rules against run history and
// notifies webhooks, Slack-compatible webhooks and e-mail recipients when a
// rule fires, repeats and resolves.
package alert

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"net/url"
	"time"

	"github.com/bridgework/bridgework/store"
)

// Rule kinds.
const (
	KindFailureRate = "failure_rate" // % of finished runs that failed over the window, above Threshold
	KindDeadLetters = "dead_letters" // failed runs not replayed, above Threshold
	KindNoRuns      = "no_runs"      // no run of the flow triggered within the window
	KindP95Duration = "p95_duration" // p95 run duration (seconds) over the window, above Threshold
	KindAnomalies   = "anomalies"    // anomaly flags raised within the window, above Threshold
	// KindApprovals is not measured: its channels hear of approval requests,
	// reminders and decisions (of FlowID's runs, or every flow's).
	KindApprovals = "approvals"
)

// Kinds lists the rule kinds.
var Kinds = []string{KindFailureRate, KindDeadLetters, KindNoRuns, KindP95Duration, KindAnomalies, KindApprovals}

// Channel types.
const (
	ChannelWebhook = "webhook" // generic JSON (Notification)
	ChannelSlack   = "slack"   // {"text": "..."}
	ChannelEmail   = "email"   // SMTP through the process's relay
)

// Channel is one notification target of a rule.
type Channel struct {
	Type string   `json:"type"`
	URL  string   `json:"url,omitempty"`
	To   []string `json:"to,omitempty"`
}

// DefaultRepeat is how often a rule that keeps firing notifies again when
// the rule does not say.
const DefaultRepeat = 4 * time.Hour

// Problem is one thing wrong with a rule, naming its field.
type Problem struct {
	Field, Message string
}

// Check validates a rule's definition and fills defaults (repeat interval).
func Check(r *store.AlertRule) []Problem {
	var ps []Problem
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if r.Name == "" || len(r.Name) > 200 {
		add("name", "name is required (at most 200 characters)")
	}
	windowed := true
	switch r.Kind {
	case KindFailureRate:
		if r.Threshold < 0 || r.Threshold >= 100 {
			add("threshold", "threshold of a failure_rate rule is a percentage from 0 to 99.99")
		}
	case KindNoRuns:
		if r.FlowID == "" {
			add("flow_id", "a no_runs rule watches one flow: flow_id is required")
		}
	case KindDeadLetters, KindApprovals:
		windowed = false
	case KindP95Duration, KindAnomalies:
	default:
		add("kind", "kind must be one of failure_rate, dead_letters, no_runs, p95_duration, anomalies, approvals")
	}
	if r.Threshold < 0 {
		add("threshold", "threshold must not be negative")
	}
	if windowed && (r.WindowSeconds < 60 || r.WindowSeconds > 30*24*3600) {
		add("window_seconds", "window_seconds must be between 60 and 2592000 (30 days)")
	}
	if r.MinRuns < 0 {
		add("min_runs", "min_runs must not be negative")
	}
	if r.RepeatSeconds == 0 {
		r.RepeatSeconds = int64(DefaultRepeat / time.Second)
	}
	if r.RepeatSeconds < 60 {
		add("repeat_seconds", "repeat_seconds must be at least 60")
	}
	chans, err := Channels(r)
	switch {
	case err != nil:
		add("channels", "channels must be a list of {type, url, to} objects: %v", err)
	case len(chans) == 0:
		add("channels", "at least one channel is required")
	}
	for i, ch := range chans {
		field := fmt.Sprintf("channels[%d]", i)
		switch ch.Type {
		case ChannelWebhook, ChannelSlack:
			if u, err := url.Parse(ch.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				add(field+".url", "a %s channel needs an http(s) url, got %q", ch.Type, ch.URL)
			}
		case ChannelEmail:
			if len(ch.To) == 0 {
				add(field+".to", "an email channel needs at least one address in to")
			}
			for _, a := range ch.To {
				if _, err := mail.ParseAddress(a); err != nil {
					add(field+".to", "%q is not an e-mail address", a)
				}
			}
		default:
			add(field+".type", "type must be webhook, slack or email, got %q", ch.Type)
		}
	}
	return ps
}

// Channels decodes a rule's channels.
func Channels(r *store.AlertRule) ([]Channel, error) {
	var out []Channel
	if len(r.Channels) == 0 {
		return nil, nil
	}
	if err := json.Unmarshal(r.Channels, &out); err != nil {
		return nil, err
	}
	return out, nil
}
