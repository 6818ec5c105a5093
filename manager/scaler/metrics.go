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

// Collectors returns the scaler's metrics, and those of the hook registry it was built
// with, for the manager's /metrics registry.
func (s *Scaler) Collectors() []prometheus.Collector {
	return append([]prometheus.Collector{s.metrics.decisions}, s.Hooks.Collectors()...)
}
