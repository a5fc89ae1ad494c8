package bench

import (
	"strings"
	"testing"
	"time"
)

func TestPercentiles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		ms            []int
		p50, p95, p99 float64
	}{
		{"none", nil, 0, 0, 0},
		{"one", []int{7}, 7, 7, 7},
		{"hundred", seq(1, 100), 51, 96, 100},
		{"unsorted", []int{9, 1, 5, 3, 7}, 5, 9, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s samples
			for _, ms := range tc.ms {
				s.add(time.Duration(ms) * time.Millisecond)
			}
			p := s.percentiles()
			if p.P50 != tc.p50 || p.P95 != tc.p95 || p.P99 != tc.p99 || p.N != len(tc.ms) {
				t.Errorf("percentiles %+v, want p50 %v p95 %v p99 %v of %d", p, tc.p50, tc.p95, tc.p99, len(tc.ms))
			}
		})
	}
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func TestOptionsNameWhatIsWrong(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		tune func(*Options)
		want string
	}{
		{"no binary", func(o *Options) { o.Binary = "" }, "no bridgework binary"},
		{"no workers", func(o *Options) { o.Workers = 0 }, "at least 1"},
		{"short duration", func(o *Options) { o.Duration = time.Millisecond }, "duration"},
		{"unknown database", func(o *Options) { o.Databases = []string{"mysql"} }, `"mysql"`},
		{"unknown scenario", func(o *Options) { o.Scenarios = []string{"soak"} }, `"soak"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := Defaults(true)
			o.Binary = "/bin/true"
			tc.tune(&o)
			err := o.validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("validate: %v, want an error naming %s", err, tc.want)
			}
		})
	}
	o := Defaults(false)
	o.Binary = "/bin/true"
	if err := o.validate(); err != nil {
		t.Errorf("the defaults do not validate: %v", err)
	}
}
