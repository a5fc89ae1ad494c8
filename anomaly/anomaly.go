// Package anomaly learns rolling baselines of a flow's run history and flags
// what departs from them: volume drops and spikes, failure-rate jumps,
// numeric values far outside their distribution, fields that went missing
// or changed type, and rising null rates. It is pure computation; callers
// load runs and store flags. docs/mapping.md gives the methods and
// thresholds.
package anomaly

import (
	"fmt"
	"time"
)

// Kinds of flag.
const (
	KindVolumeSpike  = "volume_spike"
	KindVolumeDrop   = "volume_drop"
	KindFailureRate  = "failure_rate"
	KindValueOutlier = "value_outlier"
	KindMissingField = "missing_field"
	KindTypeChange   = "type_change"
	KindNullRate     = "null_rate"
)

// Kinds lists every kind.
var Kinds = []string{KindVolumeSpike, KindVolumeDrop, KindFailureRate, KindValueOutlier, KindMissingField, KindTypeChange, KindNullRate}

// Run is what detection needs of one run.
type Run struct {
	ID      string
	FlowID  string
	Failed  bool
	At      time.Time
	Payload any // the decoded trigger payload; nil when unknown
}

// Flag is one anomaly.
type Flag struct {
	Kind     string    `json:"kind"`
	FlowID   string    `json:"flow_id"`
	RunID    string    `json:"run_id,omitempty"` // the run, for per-run flags
	Field    string    `json:"field,omitempty"`
	Observed string    `json:"observed"`
	Expected string    `json:"expected"`
	Score    float64   `json:"score"` // robust z-score, or -log10 of the tail probability
	Message  string    `json:"message"`
	At       time.Time `json:"at"` // the run's time, or the start of the window
}

// Fingerprint identifies a flag so that scanning the same runs twice
// records it once.
func (f Flag) Fingerprint() string {
	key := f.RunID
	if key == "" {
		key = f.At.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%s|%s|%s|%s", f.FlowID, f.Kind, f.Field, key)
}

// Config tunes detection; zero fields take the defaults.
type Config struct {
	// Fields are the numeric fields to watch ("total", "customer.points");
	// empty watches every numeric field of the history.
	Fields []string
	// OutlierZ is the robust z-score above which a value is an outlier
	// (default 6).
	OutlierZ float64
	// Alpha is the tail probability below which a count (runs per hour,
	// failures, nulls) is anomalous (default 1e-4).
	Alpha float64
	// MinHistory is how many runs a baseline needs before per-field checks
	// apply (default 20).
	MinHistory int
	// AlwaysPresent is the share of history runs a field must appear in to
	// be expected in every run (default 0.99).
	AlwaysPresent float64
}

func (c Config) withDefaults() Config {
	if c.OutlierZ == 0 {
		c.OutlierZ = 6
	}
	if c.Alpha == 0 {
		c.Alpha = 1e-4
	}
	if c.MinHistory == 0 {
		c.MinHistory = 20
	}
	if c.AlwaysPresent == 0 {
		c.AlwaysPresent = 0.99
	}
	return c
}

// Detect learns a baseline from history and checks recent runs against
// it: every run on its own, and the window [from, to) as a whole.
func Detect(history, recent []Run, from, to time.Time, cfg Config) []Flag {
	b := Learn(history, cfg)
	var out []Flag
	for _, r := range recent {
		out = append(out, b.CheckRun(r)...)
	}
	return append(out, b.CheckWindow(recent, from, to)...)
}
