package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestExposition: what the observers are told shows up under the documented names, with
// Prometheus's conventions (units in names, _total counters), on GET /metrics only.
func TestExposition(t *testing.T) {
	m := New()
	m.ToolCallStarted("device_get")
	m.ToolCallStarted("device_get")
	m.ToolCallFinished("device_get", "ok", 30*time.Millisecond)
	m.Attempt(200, 0)
	m.Attempt(200, 1010)
	m.Retry("token_invalid")
	m.TokenObtained(false)
	m.TokenObtained(true)
	m.TokenStoreError("load", "outage")
	m.TokenStoreError("lock", "config")
	m.TokenStoreFallback(true)
	m.RateWait(250 * time.Millisecond)
	m.RetryBudgetEmpty()

	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	scrape := func() string {
		res, err := srv.Client().Get(srv.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	page := scrape()
	for _, want := range []string{
		`tuya_mcp_tool_calls_total{outcome="ok",tool="device_get"} 1`,
		`tuya_mcp_tool_call_duration_seconds_count{tool="device_get"} 1`,
		`tuya_mcp_tool_calls_in_flight 1`,
		`tuya_mcp_tuya_requests_total 2`,
		`tuya_mcp_tuya_errors_total{code="1010"} 1`,
		`tuya_mcp_retries_total{reason="token_invalid"} 1`,
		`tuya_mcp_retry_budget_exhausted_total 1`,
		`tuya_mcp_token_grants_total 1`,
		`tuya_mcp_token_refreshes_total 1`,
		`tuya_mcp_token_store_errors_total{cause="outage",op="load"} 1`,
		`tuya_mcp_token_store_errors_total{cause="config",op="lock"} 1`,
		`tuya_mcp_token_store_fallbacks_total 1`,
		`tuya_mcp_token_store_fallback 1`,
		`tuya_mcp_rate_limit_waits_total 1`,
		`tuya_mcp_rate_limit_wait_seconds_total 0.25`,
		`go_goroutines `,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("no %q on the page", want)
		}
	}
	m.TokenStoreFallback(false)
	if page := scrape(); !strings.Contains(page, "tuya_mcp_token_store_fallback 0\n") || !strings.Contains(page, "tuya_mcp_token_store_fallbacks_total 1\n") {
		t.Error("the fallback gauge did not return to 0, or the switch back counted as a fallback")
	}
	if res, err := srv.Client().Post(srv.URL+"/metrics", "text/plain", nil); err != nil || res.StatusCode != 405 {
		t.Errorf("POST /metrics: %v %v, want 405", res.StatusCode, err)
	}
	if res, err := srv.Client().Get(srv.URL + "/"); err != nil || res.StatusCode != 404 {
		t.Errorf("GET /: %v %v, want 404", res.StatusCode, err)
	}
}
