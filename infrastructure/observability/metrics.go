// Package observability defines the Prometheus metrics and the slog setup
// shared by the adapters.
package observability

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics groups every metric Torque exports. Adapters take a *Metrics and
// tolerate nil (tests).
type Metrics struct {
	Registry *prometheus.Registry

	EventsAppended    *prometheus.CounterVec
	AppendDuration    prometheus.Histogram
	AppendConflicts   prometheus.Counter
	ProjectionApplied *prometheus.CounterVec
	ProjectionErrors  *prometheus.CounterVec
	// ProjectionPoisoned counts events parked in the poison queue: alert on
	// any increase (see docs/architecture.md, "A poisoned event").
	ProjectionPoisoned *prometheus.CounterVec
	ProjectionLag      *prometheus.GaugeVec
	ProjectionLagAge   *prometheus.GaugeVec
	HTTPRequests       *prometheus.CounterVec
	HTTPDuration       *prometheus.HistogramVec
}

// NewMetrics registers every metric on a fresh registry (plus Go and process
// collectors).
func NewMetrics() *Metrics {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &Metrics{
		Registry: r,
		EventsAppended: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "torque_eventstore_events_appended_total", Help: "Events appended to the event store, by stream type.",
		}, []string{"stream_type"}),
		AppendDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "torque_eventstore_append_duration_seconds", Help: "Duration of event-store appends (events + messages, one transaction).",
			Buckets: prometheus.ExponentialBuckets(0.0002, 2, 14),
		}),
		AppendConflicts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "torque_eventstore_version_conflicts_total", Help: "Appends refused by optimistic concurrency.",
		}),
		ProjectionApplied: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "torque_projection_events_applied_total", Help: "Events applied by each projection (redeliveries skipped are not counted).",
		}, []string{"projection"}),
		ProjectionErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "torque_projection_errors_total", Help: "Failed projection handler runs (the message is redelivered).",
		}, []string{"projection"}),
		ProjectionPoisoned: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "torque_projection_poisoned_total", Help: "Events a projection still failed on after its retries, parked in the poison queue (alert on any increase).",
		}, []string{"projection"}),
		ProjectionLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "torque_projection_lag_messages", Help: "Messages published but not yet consumed, per projection.",
		}, []string{"projection"}),
		ProjectionLagAge: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "torque_projection_lag_seconds", Help: "Age of the oldest message not yet consumed, per projection.",
		}, []string{"projection"}),
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "torque_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "torque_http_request_duration_seconds", Help: "HTTP request duration by route pattern.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}, []string{"route", "method"}),
	}
	r.MustRegister(m.EventsAppended, m.AppendDuration, m.AppendConflicts, m.ProjectionApplied,
		m.ProjectionErrors, m.ProjectionPoisoned, m.ProjectionLag, m.ProjectionLagAge, m.HTTPRequests, m.HTTPDuration)
	return m
}

// ObserveHTTPRequest counts a request and records its duration, by route
// pattern (never the raw path, which holds ids).
func (m *Metrics) ObserveHTTPRequest(route, method string, status int, d time.Duration) {
	m.HTTPRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.HTTPDuration.WithLabelValues(route, method).Observe(d.Seconds())
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}
