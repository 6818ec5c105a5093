package scaler

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	decisions *prometheus.CounterVec
	rejected  *prometheus.CounterVec
}

// The hook label of rejected deliveries: to a hook that exists, or to an ID that is no
// hook. /metrics is read without a token, so it names no hook: `hook inspect` counts
// each one's, for who may see it.
const (
	existingHook = "existing"
	unknownHook  = "unknown"
)

func newMetrics() *metrics {
	return &metrics{
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "exos_scale_decisions_total",
			Help: "Scaling decisions taken on hook deliveries, by decision (applied, dry-run, clamped, duplicate, cooldown, stabilizing, deferred, resolved, rejected, failed).",
		}, []string{"decision"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "exos_hook_rejected_deliveries_total",
			Help: `Hook deliveries refused for a bad or missing token, to an "existing" hook or to an "unknown" ID.`,
		}, []string{"hook"}),
	}
}

// countRejected counts a delivery refused for a bad token, on the hook and in /metrics.
func (s *Scaler) countRejected(id string) {
	label := existingHook
	if !s.Hooks.countRejected(id) {
		label = unknownHook
	}
	s.metrics.rejected.WithLabelValues(label).Inc()
}

// Collectors returns the scaler's metrics for the manager's /metrics registry.
func (s *Scaler) Collectors() []prometheus.Collector {
	hooks := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "exos_hooks",
		Help: "Receiver hooks that exist.",
	}, func() float64 { return float64(len(s.Hooks.List())) })
	return []prometheus.Collector{s.metrics.decisions, s.metrics.rejected, hooks}
}
