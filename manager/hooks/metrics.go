package hooks

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	rejected *prometheus.CounterVec
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
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "exos_hook_rejected_deliveries_total",
			Help: `Hook deliveries refused for a bad or missing token, to an "existing" hook or to an "unknown" ID.`,
		}, []string{"hook"}),
	}
}

// Collectors returns the registry's metrics (rejected deliveries, hooks that exist) for
// the manager's /metrics registry; the kinds' own metrics are theirs.
func (h *Registry) Collectors() []prometheus.Collector {
	hooks := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "exos_hooks",
		Help: "Receiver hooks that exist.",
	}, func() float64 { return float64(len(h.List())) })
	return []prometheus.Collector{h.metrics.rejected, hooks}
}
