package anomaly

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/bridgework/bridgework/schema"
)

// CheckRun flags one run's payload: numeric values far outside their
// distribution, fields the history always had that are missing, and
// fields whose type changed.
func (b *Baseline) CheckRun(r Run) []Flag {
	if r.Payload == nil || b.runs < b.cfg.MinHistory {
		return nil
	}
	leaves := flatten(schema.Normalize(r.Payload))
	var out []Flag
	flag := func(kind, field, observed, expected string, score float64, msg string) {
		out = append(out, Flag{Kind: kind, FlowID: r.FlowID, RunID: r.ID, Field: field, Observed: observed,
			Expected: expected, Score: round(score), Message: msg, At: r.At})
	}
	for _, path := range sortedKeys(b.fields) {
		fs := b.fields[path]
		v, ok := leaves[path]
		total := fs.present + fs.missing
		if (!ok || v == nil) && total > 0 && float64(fs.present)/float64(total) >= b.cfg.AlwaysPresent {
			flag(KindMissingField, path, "missing", fmt.Sprintf("present in %d of %d runs", fs.present, total), 0,
				fmt.Sprintf("%s is missing; it was present in %d of %d earlier runs", path, fs.present, total))
			continue
		}
		if v == nil {
			continue
		}
		if t, only := soleType(fs.types); only && typeOf(v) != t {
			flag(KindTypeChange, path, typeOf(v), t, 0,
				fmt.Sprintf("%s is a %s; it was always a %s", path, typeOf(v), t))
			continue
		}
		if d, ok := b.numeric[path]; ok {
			if x, isNum := v.(float64); isNum {
				if z := d.z(x); math.Abs(z) > b.cfg.OutlierZ {
					flag(KindValueOutlier, path, fmt.Sprint(x), fmt.Sprintf("about %.4g", d.typical()), math.Abs(z),
						fmt.Sprintf("%s = %v is %.1f robust deviations from its usual %.4g", path, x, math.Abs(z), d.typical()))
				}
			}
		}
	}
	return out
}

func soleType(types map[string]int) (string, bool) {
	if len(types) != 1 {
		return "", false
	}
	for t := range types {
		return t, true
	}
	return "", false
}

// CheckWindow flags the window [from, to): each whole hour's run count
// against its slot's baseline, the failure count against the baseline
// failure rate, and each field's null rate against its baseline.
func (b *Baseline) CheckWindow(runs []Run, from, to time.Time) []Flag {
	var out []Flag
	flowID := b.flowID
	if len(runs) > 0 {
		flowID = runs[0].FlowID
	}
	counts := map[time.Time]float64{}
	for _, r := range runs {
		counts[r.At.UTC().Truncate(time.Hour)]++
	}
	for h := from.UTC().Truncate(time.Hour); !h.Add(time.Hour).After(to.UTC()); h = h.Add(time.Hour) {
		hist := b.slots[b.slot(h)]
		if len(hist) < 3 {
			continue
		}
		n := counts[h]
		lambda := max(median(hist), 0.5)
		dev := make([]float64, len(hist))
		for i, c := range hist {
			dev[i] = math.Abs(c - median(hist))
		}
		spread := 1.4826 * median(dev)
		var pHigh, pLow float64
		if spread > math.Sqrt(lambda) {
			z := (n - lambda) / spread
			pHigh, pLow = normalTail(z), normalTail(-z)
		} else {
			pHigh, pLow = poissonUpper(n, lambda), poissonLower(n, lambda)
		}
		expected := fmt.Sprintf("about %.4g runs", lambda)
		switch {
		case pHigh < b.cfg.Alpha:
			out = append(out, Flag{Kind: KindVolumeSpike, FlowID: flowID, Observed: fmt.Sprintf("%.0f runs", n), Expected: expected,
				Score: round(-math.Log10(pHigh)), At: h, Message: fmt.Sprintf("%.0f runs in the hour from %s; usually %s", n, h.Format(time.RFC3339), expected)})
		case pLow < b.cfg.Alpha:
			out = append(out, Flag{Kind: KindVolumeDrop, FlowID: flowID, Observed: fmt.Sprintf("%.0f runs", n), Expected: expected,
				Score: round(-math.Log10(pLow)), At: h, Message: fmt.Sprintf("%.0f runs in the hour from %s; usually %s", n, h.Format(time.RFC3339), expected)})
		}
	}
	if len(runs) == 0 || b.runs < b.cfg.MinHistory {
		return out
	}
	failed := 0
	for _, r := range runs {
		if r.Failed {
			failed++
		}
	}
	p0 := (float64(b.failures) + 1) / (float64(b.runs) + 2)
	if p := binomialUpper(failed, len(runs), p0); failed >= 3 && p < b.cfg.Alpha {
		out = append(out, Flag{Kind: KindFailureRate, FlowID: flowID, Observed: fmt.Sprintf("%d of %d failed", failed, len(runs)),
			Expected: fmt.Sprintf("%.1f%%", p0*100), Score: round(-math.Log10(p)), At: from,
			Message: fmt.Sprintf("%d of %d runs failed; the usual failure rate is %.1f%%", failed, len(runs), p0*100)})
	}
	out = append(out, b.nullRates(runs, flowID, from)...)
	return out
}

// nullRates flags fields that are missing or null in a larger share of the
// window's runs than the baseline explains. Fields expected in every run
// are left to CheckRun.
func (b *Baseline) nullRates(runs []Run, flowID string, from time.Time) []Flag {
	var withPayload []map[string]any
	for _, r := range runs {
		if r.Payload != nil {
			withPayload = append(withPayload, flatten(schema.Normalize(r.Payload)))
		}
	}
	if len(withPayload) < 10 {
		return nil
	}
	var out []Flag
	for _, path := range sortedKeys(b.fields) {
		fs := b.fields[path]
		total := fs.present + fs.missing
		if total == 0 || float64(fs.present)/float64(total) >= b.cfg.AlwaysPresent {
			continue
		}
		k := 0
		for _, l := range withPayload {
			if l[path] == nil {
				k++
			}
		}
		p0 := (float64(fs.missing) + 1) / (float64(total) + 2)
		rate := float64(k) / float64(len(withPayload))
		if p := binomialUpper(k, len(withPayload), p0); p < b.cfg.Alpha && rate-p0 > 0.2 {
			out = append(out, Flag{Kind: KindNullRate, FlowID: flowID, Field: path, Observed: fmt.Sprintf("%.0f%% null or missing", rate*100),
				Expected: fmt.Sprintf("%.0f%%", p0*100), Score: round(-math.Log10(p)), At: from,
				Message: fmt.Sprintf("%s is null or missing in %d of %d runs; usually %.0f%%", path, k, len(withPayload), p0*100)})
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func round(f float64) float64 {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return 99
	}
	return math.Round(f*100) / 100
}
