package scaler

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	decisions *prometheus.CounterVec
}

func newMetrics() *metrics {
	return &metrics{
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "exos_scale_decisions_total",
			Help: "Scaling decisions taken on hook deliveries, by decision (applied, dry-run, clamped, duplicate, cooldown, stabilizing, deferred, resolved, rejected, failed).",
		}, []string{"decision"}),
	}
}

// Collectors returns the scaler's metrics for the manager's /metrics registry.
func (s *Scaler) Collectors() []prometheus.Collector {
	hooks := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "exos_hooks",
		Help: "Receiver hooks that exist.",
	}, func() float64 { return float64(len(s.Hooks.List())) })
	return []prometheus.Collector{s.metrics.decisions, hooks}
}
