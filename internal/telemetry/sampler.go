package telemetry

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bridgework/bridgework/internal/queue"
	"github.com/bridgework/bridgework/store"
)

// sampleEvery is the least time between two database samples: scrapes in
// between reuse the last one.
const sampleEvery = 10 * time.Second

var (
	queueDepthDesc = prometheus.NewDesc("bridgework_queue_depth",
		"Jobs ready to run and not yet picked up, by queue.", []string{"queue"}, nil)
	queueAgeDesc = prometheus.NewDesc("bridgework_queue_oldest_job_age_seconds",
		"How long the longest-waiting ready job has waited, by queue.", []string{"queue"}, nil)
	deadLettersDesc = prometheus.NewDesc("bridgework_dead_letters",
		"Failed runs not replayed, by tenant (bounded like the run metrics).", []string{"tenant"}, nil)
)

// sampler is a collector reading queue depths and dead letters from the
// database when scraped, at most once per sampleEvery.
type sampler struct {
	store  *store.Store
	depths func(context.Context) ([]queue.Depth, error)
	labels *labelCap
	logger *slog.Logger
	now    func() time.Time

	mu      sync.Mutex
	at      time.Time
	metrics []prometheus.Metric
}

// Describe sends the descriptors of the sampled metrics.
func (s *sampler) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueDepthDesc
	ch <- queueAgeDesc
	ch <- deadLettersDesc
}

// Collect sends the last sample, taking a new one when it is stale.
func (s *sampler) Collect(ch chan<- prometheus.Metric) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now := s.now(); now.Sub(s.at) >= sampleEvery {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		s.metrics = s.sample(ctx, now)
		cancel()
		s.at = now
	}
	for _, m := range s.metrics {
		ch <- m
	}
}

func (s *sampler) sample(ctx context.Context, now time.Time) []prometheus.Metric {
	var out []prometheus.Metric
	if s.depths != nil {
		depths, err := s.depths(ctx)
		if err != nil {
			s.logger.Warn("metrics: cannot sample the queues", slog.Any("err", err))
		}
		for _, d := range depths {
			age := 0.0
			if !d.Oldest.IsZero() {
				age = max(now.Sub(d.Oldest).Seconds(), 0)
			}
			out = append(out,
				prometheus.MustNewConstMetric(queueDepthDesc, prometheus.GaugeValue, float64(d.Jobs), d.Queue),
				prometheus.MustNewConstMetric(queueAgeDesc, prometheus.GaugeValue, age, d.Queue))
		}
	}
	if s.store != nil {
		counts, err := s.store.DeadLetterCounts(ctx)
		if err != nil {
			s.logger.Warn("metrics: cannot count dead letters", slog.Any("err", err))
		}
		byLabel := map[string]int64{}
		for tenant, n := range counts {
			byLabel[s.labels.tenant(tenant)] += n
		}
		for label, n := range byLabel {
			out = append(out, prometheus.MustNewConstMetric(deadLettersDesc, prometheus.GaugeValue, float64(n), label))
		}
	}
	return out
}
