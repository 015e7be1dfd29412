// Package metrics is the Prometheus face of a tuya-mcp process: it observes the tool calls
// (tools.Observer) and the Tuya client (client.Observer) and serves the exposition format on
// /metrics. Labels are tool names, outcomes, codes and reasons: never a token, an id or a
// message.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the process's collectors in a registry of its own. It implements
// tools.Observer and client.Observer.
type Metrics struct {
	reg *prometheus.Registry

	toolCalls    *prometheus.CounterVec
	toolDuration *prometheus.HistogramVec
	inFlight     prometheus.Gauge
	requests     prometheus.Counter
	tuyaErrors   *prometheus.CounterVec
	retries      *prometheus.CounterVec
	budgetEmpty  prometheus.Counter
	grants       prometheus.Counter
	refreshes    prometheus.Counter
	storeErrors  *prometheus.CounterVec
	fallbacks    prometheus.Counter
	fallbackOn   prometheus.Gauge
	rateWaits    prometheus.Counter
	rateWaitSecs prometheus.Counter
}

// New returns Metrics with every series registered, plus the Go runtime's and the process's.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		toolCalls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tuya_mcp_tool_calls_total",
			Help: "Tool calls by tool and outcome (ok, tuya_error, invalid_arguments, timeout, ...)."}, []string{"tool", "outcome"}),
		toolDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tuya_mcp_tool_call_duration_seconds",
			Help:    "Duration of tool calls, retries and waits included, by tool.",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}}, []string{"tool"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "tuya_mcp_tool_calls_in_flight",
			Help: "Tool calls being served."}),
		requests: prometheus.NewCounter(prometheus.CounterOpts{Name: "tuya_mcp_tuya_requests_total",
			Help: "HTTP requests made to the Tuya cloud, token requests and retries included."}),
		tuyaErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tuya_mcp_tuya_errors_total",
			Help: "Failure answers of the Tuya cloud by code."}, []string{"code"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tuya_mcp_retries_total",
			Help: "Retries by reason: rate_limit, server_error, network, token_invalid."}, []string{"reason"}),
		budgetEmpty: prometheus.NewCounter(prometheus.CounterOpts{Name: "tuya_mcp_retry_budget_exhausted_total",
			Help: "Retries not made because the project's retry budget was spent."}),
		grants: prometheus.NewCounter(prometheus.CounterOpts{Name: "tuya_mcp_token_grants_total",
			Help: "Access tokens this process was granted by the cloud."}),
		refreshes: prometheus.NewCounter(prometheus.CounterOpts{Name: "tuya_mcp_token_refreshes_total",
			Help: "Access tokens this process renewed with a refresh token."}),
		storeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tuya_mcp_token_store_errors_total",
			Help: "Failures of the token store (and of the shared budgets in it) by operation and cause (config or outage)."}, []string{"op", "cause"}),
		fallbacks: prometheus.NewCounter(prometheus.CounterOpts{Name: "tuya_mcp_token_store_fallbacks_total",
			Help: "Switches to a token of this process because the token store failed."}),
		fallbackOn: prometheus.NewGauge(prometheus.GaugeOpts{Name: "tuya_mcp_token_store_fallback",
			Help: "1 while this process uses a token of its own because the token store fails."}),
		rateWaits: prometheus.NewCounter(prometheus.CounterOpts{Name: "tuya_mcp_rate_limit_waits_total",
			Help: "Requests that waited for the rate budget (--rate-limit)."}),
		rateWaitSecs: prometheus.NewCounter(prometheus.CounterOpts{Name: "tuya_mcp_rate_limit_wait_seconds_total",
			Help: "Time requests spent waiting for the rate budget."}),
	}
	m.reg.MustRegister(m.toolCalls, m.toolDuration, m.inFlight, m.requests, m.tuyaErrors, m.retries, m.budgetEmpty,
		m.grants, m.refreshes, m.storeErrors, m.fallbacks, m.fallbackOn, m.rateWaits, m.rateWaitSecs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the exposition format.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	return mux
}

func (m *Metrics) ToolCallStarted(string) { m.inFlight.Inc() }

func (m *Metrics) ToolCallFinished(tool, outcome string, d time.Duration) {
	m.inFlight.Dec()
	m.toolCalls.WithLabelValues(tool, outcome).Inc()
	m.toolDuration.WithLabelValues(tool).Observe(d.Seconds())
}

func (m *Metrics) Attempt(_, code int) {
	m.requests.Inc()
	if code != 0 {
		m.tuyaErrors.WithLabelValues(strconv.Itoa(code)).Inc()
	}
}

func (m *Metrics) Retry(reason string) { m.retries.WithLabelValues(reason).Inc() }

func (m *Metrics) RetryBudgetEmpty() { m.budgetEmpty.Inc() }

func (m *Metrics) TokenObtained(refresh bool) {
	if refresh {
		m.refreshes.Inc()
	} else {
		m.grants.Inc()
	}
}

func (m *Metrics) TokenStoreError(op, cause string) { m.storeErrors.WithLabelValues(op, cause).Inc() }

func (m *Metrics) TokenStoreFallback(active bool) {
	if active {
		m.fallbacks.Inc()
		m.fallbackOn.Set(1)
	} else {
		m.fallbackOn.Set(0)
	}
}

func (m *Metrics) RateWait(d time.Duration) {
	m.rateWaits.Inc()
	m.rateWaitSecs.Add(d.Seconds())
}
