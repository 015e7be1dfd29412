package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// addUsers tries n device-user adds and returns how many answered with code 500, how many
// failed on the wire, and how many users the scale gained.
func addUsers(t *testing.T, c *tc, n int) (failed, dropped, created int) {
	t.Helper()
	before := len(c.srv.DeviceUsers(DemoScaleID))
	body, _ := json.Marshal(map[string]any{"nick_name": "Retry", "sex": 1})
	for range n {
		resp, err := c.send("POST", "/v1.0/devices/"+DemoScaleID+"/user", body, signed{token: c.token})
		if err != nil {
			dropped++
			continue
		}
		env := c.decode(resp)
		switch {
		case env.Success:
		case env.Code == codeSystem && env.Msg == "system error":
			failed++
		default:
			t.Fatalf("unexpected code %d %q", env.Code, env.Msg)
		}
	}
	return failed, dropped, len(c.srv.DeviceUsers(DemoScaleID)) - before
}

// TestFailuresStrikeBeforeOrAfter checks that injected failures and drops sometimes strike
// after the operation ran: the caller sees a failure, yet the user was added. That is what
// makes a blind retry of a non-idempotent call dangerous.
func TestFailuresStrikeBeforeOrAfter(t *testing.T) {
	const n = 40
	tests := []struct {
		name   string
		faults Faults
	}{
		{"fail", Faults{FailRate: 1, Seed: 7}},
		{"drop", Faults{DropRate: 1, Seed: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var runs [2]int
			for i := range runs {
				c := client(t, Options{Faults: tt.faults})
				c.hc = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
				failed, dropped, created := addUsers(t, c, n)
				st := c.srv.Stats()
				if tt.faults.FailRate == 1 && (failed != n || st.InjectedFailures != n || st.Rejected[codeSystem] != n) {
					t.Fatalf("%d of %d failed, stats %+v", failed, n, st)
				}
				if tt.faults.DropRate == 1 && (dropped != n || st.Dropped != n) {
					t.Fatalf("%d of %d dropped, stats %+v", dropped, n, st)
				}
				if created == 0 || created == n {
					t.Fatalf("%d of %d failed adds took effect; want some before, some after", created, n)
				}
				runs[i] = created
			}
			if runs[0] != runs[1] {
				t.Errorf("same seed, different outcomes: %v", runs)
			}
		})
	}
}

func TestFailRate(t *testing.T) {
	c := client(t, Options{Faults: Faults{FailRate: 0.3, Seed: 42}})
	const n = 300
	failed := 0
	for range n {
		if env := c.raw("GET", "/v1.0/devices/"+DemoGatewayID, nil); !env.Success {
			if env.Code != codeSystem {
				t.Fatalf("code %d", env.Code)
			}
			failed++
		}
	}
	if failed < n/5 || failed > 2*n/5 {
		t.Errorf("%d of %d failed at rate 0.3", failed, n)
	}
	// Token calls are never faulted, and rejected calls are rejected, not faulted.
	c.srv.SetFaults(Faults{FailRate: 1})
	for range 5 {
		c.grant()
	}
	c.ts.secret = "wrong"
	c.fail(codeSign, "GET", "/v1.0/devices/"+DemoGatewayID, nil)
}

func TestQPSLimit(t *testing.T) {
	tests := []struct {
		qps   float64
		burst int
		// refill is how long the bucket takes to give one more request.
		refill time.Duration
	}{
		{2, 2, 500 * time.Millisecond},
		{0.5, 1, 2 * time.Second},
		{10, 10, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		c := client(t, Options{Faults: Faults{QPS: tt.qps}})
		get := func() envelope { return c.raw("GET", "/v1.0/devices/"+DemoGatewayID, nil) }
		// The clock stands still, so only the burst passes.
		for i := range tt.burst {
			if env := get(); !env.Success {
				t.Fatalf("qps %v: request %d of the burst: code %d", tt.qps, i, env.Code)
			}
		}
		env := get()
		if env.Code != codeRateLimit || env.Msg != "concurrent request over limit" {
			t.Fatalf("qps %v: over the burst: %+v", tt.qps, env)
		}
		c.grant() // token calls are not limited
		c.ts.secret = "wrong"
		c.fail(codeSign, "GET", "/v1.0/devices/"+DemoGatewayID, nil) // verified before limited
		c.ts.secret = DemoAccessSecret
		c.clk.Advance(tt.refill)
		if env := get(); !env.Success {
			t.Fatalf("qps %v: after refill: code %d", tt.qps, env.Code)
		}
		c.fail(codeRateLimit, "GET", "/v1.0/devices/"+DemoGatewayID, nil)
		// A long pause fills the bucket to the burst, no more.
		c.clk.Advance(time.Hour)
		ok := 0
		for range tt.burst + 3 {
			if get().Success {
				ok++
			}
		}
		if ok != tt.burst {
			t.Errorf("qps %v: %d passed after a pause, want the burst %d", tt.qps, ok, tt.burst)
		}
		if st := c.srv.Stats(); st.RateLimited != 5 || st.Rejected[codeRateLimit] != 5 {
			t.Errorf("qps %v: stats %+v", tt.qps, st)
		}
	}
}

func TestLatency(t *testing.T) {
	tests := []struct {
		name     string
		faults   Faults
		min, max time.Duration
	}{
		{"none", Faults{}, 0, 40 * time.Millisecond},
		{"fixed", Faults{Latency: 60 * time.Millisecond}, 60 * time.Millisecond, 200 * time.Millisecond},
		{"jitter", Faults{Latency: 20 * time.Millisecond, LatencyJitter: 30 * time.Millisecond, Seed: 3}, 20 * time.Millisecond, 200 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := client(t, Options{})
			c.srv.SetFaults(tt.faults)
			// A loaded machine only ever slows a request down (one took 280ms of a 60ms latency
			// at load 11): each must take at least min, and the fastest at most max, since a
			// sandbox adding more than its faults say would slow them all.
			fastest := time.Hour
			for range 5 {
				began := time.Now()
				c.ok("GET", "/v1.0/devices/"+DemoGatewayID, nil, nil)
				d := time.Since(began)
				if d < tt.min {
					t.Errorf("took %v, want at least %v", d, tt.min)
				}
				fastest = min(fastest, d)
			}
			if fastest > tt.max {
				t.Errorf("the fastest of 5 took %v, want at most %v", fastest, tt.max)
			}
		})
	}
}

// TestLatencyRespectsContext checks that a caller giving up ends the delay at once, and that
// Close does not wait for delayed requests.
func TestLatencyRespectsContext(t *testing.T) {
	srv, err := Start(Options{Faults: Faults{Latency: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	c := newTC(t, srv, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/v1.0/token?grant_type=1", nil)
	req.Header = c.ts.sign("GET", srv.URL+"/v1.0/token?grant_type=1", nil, signed{t: time.Now()})
	began := time.Now()
	_, err = c.hc.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	// A request still sleeping on the server must not hold Close up.
	go c.hc.Get(srv.URL + "/v1.0/devices")
	time.Sleep(20 * time.Millisecond)
	if err := srv.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if d := time.Since(began); d > closeGrace {
		t.Fatalf("cancel and close took %v", d)
	}
}

// TestLatencyNoticesCallerWithBody checks that a write whose caller hangs up during the latency
// is dropped, not run once the latency is over: for a request with a body, the server notices
// a hang-up only once the body is read.
func TestLatencyNoticesCallerWithBody(t *testing.T) {
	const latency = 300 * time.Millisecond
	c := client(t, Options{Now: time.Now})
	c.srv.SetFaults(Faults{Latency: latency})
	body := []byte(`{"name":"late"}`)
	path := "/v1.0/devices/" + DemoStripID
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "PUT", c.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = c.ts.sign("PUT", c.srv.URL+path, body, signed{token: c.token, t: time.Now(), nonce: "n1"})
	if _, err := c.hc.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want the caller's deadline", err)
	}
	// Long enough for the latency to end and a late handler to run the rename.
	time.Sleep(3 * latency)
	if d, _ := c.srv.Device(DemoStripID); d.Name == "late" {
		t.Error("the rename ran after its caller had hung up")
	}
}

func TestSetFaults(t *testing.T) {
	c := client(t, Options{})
	c.ok("GET", "/v1.0/devices/"+DemoGatewayID, nil, nil)
	c.srv.SetFaults(Faults{FailRate: 1})
	c.fail(codeSystem, "GET", "/v1.0/devices/"+DemoGatewayID, nil)
	c.srv.SetFaults(Faults{TokenTTL: time.Minute})
	c.ok("GET", "/v1.0/devices/"+DemoGatewayID, nil, nil)
	if tr := c.grant(); tr.ExpireTime != 60 {
		t.Errorf("expire_time %d after SetFaults", tr.ExpireTime)
	}
}

func TestStats(t *testing.T) {
	srv, clk := start(t, Options{})
	c := newTC(t, srv, clk)
	// The connections the client opens: a keep-alive connection is usually reused, but net/http
	// drops one whose write was not yet reported done 50ms after its answer came, which a loaded
	// machine makes happen.
	var dials atomic.Int64
	d := &net.Dialer{}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return d.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	c.hc = &http.Client{Transport: tr, Timeout: 10 * time.Second}
	c.grant()
	c.ok("GET", "/v1.0/devices/"+DemoGatewayID, nil, nil)
	c.ok("GET", "/v1.0/devices/"+DemoStripID, nil, nil)
	c.fail(codeDeviceNotExist, "GET", "/v1.0/devices/nosuch", nil)
	c.fail(codePath, "GET", "/v1.0/nosuch", nil)
	st := c.srv.Stats()
	if st.Requests != 5 || st.TokenGrants != 1 || st.ByRoute["GET /v1.0/devices/{device_id}"] != 3 ||
		st.ByRoute["GET /v1.0/token"] != 1 || len(st.ByRoute) != 2 || st.Rejected[codeDeviceNotExist] != 1 ||
		st.Rejected[codePath] != 1 || st.Connections != dials.Load() || st.Connections < 1 {
		t.Errorf("stats %+v (%d connections opened)", st, dials.Load())
	}
	// Stats returns a copy.
	st.ByRoute["x"] = 1
	if _, ok := c.srv.Stats().ByRoute["x"]; ok {
		t.Error("Stats shares its maps")
	}
}

// TestStatsEndpoint: GET /_sandbox/stats answers the counters to loopback callers without a
// signature, is not itself counted, and refuses other methods and other machines; POST
// /_sandbox/revoke revokes every token, under the same rules.
func TestStatsEndpoint(t *testing.T) {
	srv, clk := start(t, Options{})
	c := newTC(t, srv, clk)
	c.grant()
	c.ok("GET", "/v1.0/devices/"+DemoStripID, nil, nil)
	c.fail(codeDeviceNotExist, "GET", "/v1.0/devices/nosuch", nil)
	c.fail(codeDeviceNotExist, "GET", "/v1.0/devices/nosuch2", nil)
	for range 2 {
		resp, err := http.Get(srv.URL + StatsPath)
		if err != nil {
			t.Fatal(err)
		}
		var got StatsJSON
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		want := StatsJSON{TokenGrants: 1, Requests: 4, AnswersByCode: map[string]int64{strconv.Itoa(codeDeviceNotExist): 2}}
		if err != nil || resp.StatusCode != 200 || !reflect.DeepEqual(got, want) {
			t.Fatalf("status %d, %+v, %v; want %+v", resp.StatusCode, got, err, want)
		}
	}
	tests := []struct {
		method, remote string
		want           int
	}{
		{"POST", "127.0.0.1:5000", http.StatusMethodNotAllowed},
		{"GET", "192.0.2.7:5000", http.StatusForbidden},
		{"GET", "[2001:db8::1]:5000", http.StatusForbidden},
		{"GET", "[::1]:5000", http.StatusOK},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, StatsPath, nil)
		r.RemoteAddr = tt.remote
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("%s from %s: %d, want %d", tt.method, tt.remote, w.Code, tt.want)
		}
	}
	revokes := []struct {
		method, remote string
		want           int
		revoked        bool
	}{
		{"GET", "127.0.0.1:5000", http.StatusMethodNotAllowed, false},
		{"POST", "192.0.2.7:5000", http.StatusForbidden, false},
		{"POST", "127.0.0.1:5000", http.StatusNoContent, true},
	}
	for _, tt := range revokes {
		before := len(srv.AccessTokens())
		r := httptest.NewRequest(tt.method, RevokePath, nil)
		r.RemoteAddr = tt.remote
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		after := len(srv.AccessTokens())
		if w.Code != tt.want || (after == 0) != tt.revoked || before == 0 {
			t.Errorf("%s %s from %s: %d, tokens %d -> %d; want %d, revoked %v", tt.method, RevokePath, tt.remote, w.Code, before, after, tt.want, tt.revoked)
		}
	}
}
