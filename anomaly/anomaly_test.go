package anomaly

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// traffic generates a flow's runs: Poisson arrivals at a rate that follows
// the working day, 2% failures, and order payloads with a log-normal total,
// a small quantity, a nested email and a note that is null 30% of the time.
type traffic struct {
	rng *rand.Rand
	seq int
}

func newTraffic(seed uint64) *traffic { return &traffic{rng: rand.New(rand.NewPCG(seed, 7))} }

func rate(h time.Time) float64 {
	hour := h.UTC().Hour()
	base := 4.0
	if hour >= 8 && hour < 20 {
		base = 20
	}
	if h.UTC().Weekday() == time.Sunday {
		base /= 2
	}
	return base
}

func (g *traffic) poisson(lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= g.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func (g *traffic) payload() map[string]any {
	g.seq++
	p := map[string]any{
		"order_number": fmt.Sprintf("HL-%d", 10000+g.seq),
		"total":        math.Round(math.Exp(4+0.5*g.rng.NormFloat64())*100) / 100,
		"qty":          float64(1 + g.rng.IntN(5)),
		"customer":     map[string]any{"email": fmt.Sprintf("c%d@example.com", g.seq%97), "points": float64(g.rng.IntN(500))},
		"note":         nil,
	}
	if g.rng.Float64() < 0.7 {
		p["note"] = "gift"
	}
	return p
}

// hours generates the runs of [from, to) hour by hour; scale multiplies
// the rate.
func (g *traffic) hours(from, to time.Time, scale float64) []Run {
	var out []Run
	for h := from; h.Before(to); h = h.Add(time.Hour) {
		n := g.poisson(rate(h) * scale)
		for i := 0; i < n; i++ {
			out = append(out, g.run(h.Add(time.Duration(g.rng.Int64N(int64(time.Hour))))))
		}
	}
	return out
}

func (g *traffic) run(at time.Time) Run {
	return Run{ID: fmt.Sprintf("run-%d", g.seq+1), FlowID: "orders", Failed: g.rng.Float64() < 0.02, At: at, Payload: g.payload()}
}

var epoch = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday

func history(g *traffic) []Run { return g.hours(epoch, epoch.Add(21*24*time.Hour), 1) }

func kinds(flags []Flag) map[string]int {
	out := map[string]int{}
	for _, f := range flags {
		out[f.Kind]++
	}
	return out
}

// TestPlantedAnomaliesAreFlagged plants each kind of anomaly in generated
// traffic and expects it flagged, on the right run or field.
func TestPlantedAnomaliesAreFlagged(t *testing.T) {
	t.Parallel()
	start := epoch.Add(21 * 24 * time.Hour) // a Monday again
	busy := start.Add(10 * time.Hour)       // 10:00, about 20 runs an hour
	tests := []struct {
		name  string
		plant func(g *traffic) (recent []Run, from, to time.Time)
		kind  string
		field string
	}{
		{"value far outside its distribution", func(g *traffic) ([]Run, time.Time, time.Time) {
			r := g.run(busy)
			r.Payload.(map[string]any)["total"] = 250000.0
			return []Run{r}, busy, busy
		}, KindValueOutlier, "total"},
		{"field always present now missing", func(g *traffic) ([]Run, time.Time, time.Time) {
			r := g.run(busy)
			delete(r.Payload.(map[string]any)["customer"].(map[string]any), "email")
			return []Run{r}, busy, busy
		}, KindMissingField, "customer.email"},
		{"field changing type", func(g *traffic) ([]Run, time.Time, time.Time) {
			r := g.run(busy)
			r.Payload.(map[string]any)["qty"] = "2"
			return []Run{r}, busy, busy
		}, KindTypeChange, "qty"},
		{"volume drop", func(g *traffic) ([]Run, time.Time, time.Time) {
			return g.hours(busy, busy.Add(time.Hour), 0.05), busy, busy.Add(time.Hour)
		}, KindVolumeDrop, ""},
		{"volume spike", func(g *traffic) ([]Run, time.Time, time.Time) {
			return g.hours(busy, busy.Add(time.Hour), 5), busy, busy.Add(time.Hour)
		}, KindVolumeSpike, ""},
		{"failure rate", func(g *traffic) ([]Run, time.Time, time.Time) {
			runs := g.hours(busy, busy.Add(time.Hour), 1)
			for i := range runs {
				runs[i].Failed = i%3 == 0
			}
			return runs, busy, busy.Add(time.Hour)
		}, KindFailureRate, ""},
		{"null rate", func(g *traffic) ([]Run, time.Time, time.Time) {
			runs := g.hours(busy, busy.Add(time.Hour), 1)
			for i := range runs {
				runs[i].Payload.(map[string]any)["note"] = nil
			}
			return runs, busy, busy.Add(time.Hour)
		}, KindNullRate, "note"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := newTraffic(uint64(100 + i))
			hist := history(g)
			recent, from, to := tc.plant(g)
			flags := Detect(hist, recent, from, to, Config{})
			found := false
			for _, f := range flags {
				if f.Kind == tc.kind && f.Field == tc.field {
					found = true
					if f.Message == "" || f.FlowID != "orders" || f.Fingerprint() == "" {
						t.Errorf("flag lacks detail: %+v", f)
					}
				}
			}
			if !found {
				t.Fatalf("no %s flag on %q; got %+v", tc.kind, tc.field, flags)
			}
		})
	}
}

// TestFalseFlagRate runs four weeks of normal traffic (four seeds), each
// against its own three-week baseline, and reports the share of checks (runs and hours) that raised a
// flag; it must stay under 1%.
func TestFalseFlagRate(t *testing.T) {
	t.Parallel()
	var flags []Flag
	checks := 0
	for seed := uint64(40); seed < 44; seed++ {
		g := newTraffic(seed)
		b := Learn(history(g), Config{})
		from := epoch.Add(21 * 24 * time.Hour)
		for hour := 0; hour < 7*24; hour++ {
			h := from.Add(time.Duration(hour) * time.Hour)
			runs := g.hours(h, h.Add(time.Hour), 1)
			for _, r := range runs {
				flags = append(flags, b.CheckRun(r)...)
			}
			flags = append(flags, b.CheckWindow(runs, h, h.Add(time.Hour))...)
			checks += len(runs) + 1
		}
	}
	rate := float64(len(flags)) / float64(checks)
	t.Logf("false-flag rate on four weeks of normal traffic: %d flags in %d checks (runs + hours) = %.4f%% %v", len(flags), checks, rate*100, kinds(flags))
	if rate > 0.01 {
		t.Fatalf("false-flag rate %.4f is above 1%%: %+v", rate, flags)
	}
}

func TestNoBaselineNoFlags(t *testing.T) {
	t.Parallel()
	g := newTraffic(1)
	few := g.hours(epoch, epoch.Add(2*time.Hour), 1)[:5]
	r := g.run(epoch.Add(3 * time.Hour))
	r.Payload.(map[string]any)["total"] = 1e9
	if flags := Detect(few, []Run{r}, r.At, r.At, Config{}); len(flags) != 0 {
		t.Fatalf("flags from a five-run history: %+v", flags)
	}
}

func TestTails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		got, want float64
	}{
		{"poisson P(X<=0|10)", poissonLower(0, 10), math.Exp(-10)},
		{"poisson P(X>=1|1)", poissonUpper(1, 1), 1 - math.Exp(-1)},
		{"binomial P(X>=1|n=2,p=.5)", binomialUpper(1, 2, 0.5), 0.75},
		{"normal tail 0", normalTail(0), 0.5},
	}
	for _, tc := range tests {
		if math.Abs(tc.got-tc.want) > 1e-9 {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}
