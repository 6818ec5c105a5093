package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/exos-platform/exos/manager/state"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics holds the manager's Prometheus metrics, in a registry of its own so tests can
// build several servers.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	deploys  *prometheus.CounterVec
}

func newMetrics(store *state.Store) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "exos_http_requests_total", Help: "API requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "exos_http_request_duration_seconds", Help: "API request latency by route.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 9),
		}, []string{"route"}),
		deploys: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "exos_stack_deploys_total", Help: "Stack deploys and rollbacks by result.",
		}, []string{"result"}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.deploys,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		indexCollector(store))
	return m
}

// indexCollector reports the size of the index when scraped.
func indexCollector(store *state.Store) prometheus.Collector {
	desc := prometheus.NewDesc("exos_index_objects", "Objects in the manager's index by kind.", []string{"kind"}, nil)
	return collectorFunc{desc: desc, collect: func(ch chan<- prometheus.Metric) {
		c := store.Counts(nil)
		for kind, n := range map[string]int{"nodes": c.Nodes, "services": c.Services, "tasks": c.Tasks, "stacks": c.Stacks, "environments": c.Envs} {
			ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(n), kind)
		}
	}}
}

type collectorFunc struct {
	desc    *prometheus.Desc
	collect func(chan<- prometheus.Metric)
}

func (c collectorFunc) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }
func (c collectorFunc) Collect(ch chan<- prometheus.Metric) { c.collect(ch) }

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

func (m *metrics) deploy(err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.deploys.WithLabelValues(result).Inc()
}

// instrument counts and times requests by route pattern (never by raw path, which would
// make a label value per stack name).
func (m *metrics) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection: event streams flush.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
