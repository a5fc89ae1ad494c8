package anomaly

import (
	"math"
	"slices"
	"sort"
	"time"

	"github.com/bridgework/bridgework/internal/jsonkind"
	"github.com/bridgework/bridgework/schema"
)

// Baseline is what normal looks like for one flow.
type Baseline struct {
	cfg      Config
	flowID   string
	runs     int
	failures int
	// slots holds the run counts of every whole hour of history, by slot
	// (weekday and hour with two weeks of history, hour of day with two
	// days, one slot otherwise).
	slots    map[int][]float64
	slotKind int
	numeric  map[string]dist
	fields   map[string]*fieldStats
}

const (
	slotAll = iota
	slotHour
	slotWeekdayHour
)

type dist struct {
	median, spread float64
	log            bool
	n              int
}

type fieldStats struct {
	present int            // runs where the field exists and is not null
	missing int            // runs where it is absent or null
	types   map[string]int // non-null types seen
}

// Learn builds a baseline from a flow's past runs.
func Learn(history []Run, cfg Config) *Baseline {
	b := &Baseline{cfg: cfg.withDefaults(), slots: map[int][]float64{}, numeric: map[string]dist{}, fields: map[string]*fieldStats{}}
	if len(history) == 0 {
		return b
	}
	b.flowID = history[0].FlowID
	values := map[string][]float64{}
	for _, r := range history {
		b.runs++
		if r.Failed {
			b.failures++
		}
		if r.Payload == nil {
			continue
		}
		leaves := flatten(schema.Normalize(r.Payload))
		for path, v := range leaves {
			fs := b.stats(path)
			if v == nil {
				continue
			}
			fs.types[typeOf(v)]++
			if f, ok := v.(float64); ok {
				values[path] = append(values[path], f)
			}
		}
	}
	payloads := 0
	for _, r := range history {
		if r.Payload != nil {
			payloads++
		}
	}
	for _, fs := range b.fields {
		n := 0
		for _, c := range fs.types {
			n += c
		}
		fs.present, fs.missing = n, payloads-n
	}
	watch := b.cfg.Fields
	if len(watch) == 0 {
		for p := range values {
			watch = append(watch, p)
		}
	}
	for _, p := range watch {
		if vs := values[p]; len(vs) >= b.cfg.MinHistory {
			b.numeric[p] = distOf(vs)
		}
	}
	b.learnVolume(history)
	return b
}

func (b *Baseline) stats(path string) *fieldStats {
	fs := b.fields[path]
	if fs == nil {
		fs = &fieldStats{types: map[string]int{}}
		b.fields[path] = fs
	}
	return fs
}

// distOf is the median and MAD of the values, on a log scale when none is
// negative and the log makes them more symmetric (amounts are skewed to the
// right; uniform or bounded counts are not).
func distOf(vs []float64) dist {
	raw := spreadOf(vs, dist{})
	if slices.IndexFunc(vs, func(v float64) bool { return v < 0 }) < 0 {
		if lg := spreadOf(vs, dist{log: true}); skew(vs, lg) < skew(vs, raw) {
			return lg
		}
	}
	return raw
}

// spreadOf fills in the median and spread of the values on d's scale.
func spreadOf(vs []float64, d dist) dist {
	d.n = len(vs)
	xs := make([]float64, len(vs))
	for i, v := range vs {
		xs[i] = d.scale(v)
	}
	d.median = median(xs)
	dev := make([]float64, len(xs))
	for i, x := range xs {
		dev[i] = math.Abs(x - d.median)
	}
	d.spread = 1.4826 * median(dev)
	if d.spread == 0 {
		mean := 0.0
		for _, x := range dev {
			mean += x
		}
		d.spread = 1.2533 * mean / float64(len(dev))
	}
	return d
}

// skew is |mean - median| / spread on d's scale: 0 for symmetric data.
func skew(vs []float64, d dist) float64 {
	if d.spread == 0 {
		return math.Inf(1)
	}
	mean := 0.0
	for _, v := range vs {
		mean += d.scale(v)
	}
	return math.Abs(mean/float64(len(vs))-d.median) / d.spread
}

func (d dist) scale(v float64) float64 {
	if d.log {
		return math.Log1p(max(v, 0))
	}
	return v
}

// z is the robust z-score of v.
func (d dist) z(v float64) float64 {
	if d.spread == 0 {
		return 0
	}
	return (d.scale(v) - d.median) / d.spread
}

func (d dist) typical() float64 {
	if d.log {
		return math.Expm1(d.median)
	}
	return d.median
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// learnVolume counts runs in every whole hour of the history's span.
func (b *Baseline) learnVolume(history []Run) {
	first, last := history[0].At, history[0].At
	for _, r := range history {
		if r.At.Before(first) {
			first = r.At
		}
		if r.At.After(last) {
			last = r.At
		}
	}
	start, end := first.UTC().Truncate(time.Hour), last.UTC().Truncate(time.Hour)
	span := end.Sub(start)
	switch {
	case span >= 14*24*time.Hour:
		b.slotKind = slotWeekdayHour
	case span >= 2*24*time.Hour:
		b.slotKind = slotHour
	}
	counts := map[time.Time]float64{}
	for _, r := range history {
		counts[r.At.UTC().Truncate(time.Hour)]++
	}
	// The last hour may be partial; leave it out.
	for h := start; h.Before(end); h = h.Add(time.Hour) {
		k := b.slot(h)
		b.slots[k] = append(b.slots[k], counts[h])
	}
}

func (b *Baseline) slot(h time.Time) int {
	h = h.UTC()
	switch b.slotKind {
	case slotWeekdayHour:
		return int(h.Weekday())*24 + h.Hour()
	case slotHour:
		return h.Hour()
	}
	return 0
}

// flatten maps each leaf path of a payload (scalars, and arrays as a
// whole) to its value.
func flatten(v any) map[string]any {
	out := map[string]any{}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		if m, ok := v.(map[string]any); ok {
			for k, e := range m {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(e, p)
			}
			return
		}
		if path != "" {
			out[path] = v
		}
	}
	walk(v, "")
	return out
}

func typeOf(v any) string {
	t := jsonkind.SchemaType(v)
	if t == "integer" {
		return "number"
	}
	return t
}
