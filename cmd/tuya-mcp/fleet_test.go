package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

var metricsLine = regexp.MustCompile(`"metrics_url":"(http://[^"]+)"`)

// scrape reads a /metrics page into name{labels} -> value.
func scrape(t *testing.T, url string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// sandboxStats reads the standalone sandbox's /_sandbox/stats.
func sandboxStats(t *testing.T, base string) sandbox.StatsJSON {
	t.Helper()
	resp, err := http.Get(base + sandbox.StatsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st sandbox.StatsJSON
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// revoke makes the standalone sandbox revoke every token, as another process would.
func revoke(t *testing.T, base string) {
	t.Helper()
	resp, err := http.Post(base+sandbox.RevokePath, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("revoke: %s", resp.Status)
	}
}

// replica is one `tuya-mcp http` process of the fleet.
type replica struct {
	p               *proc
	mcpURL, metrics string
}

// TestFleet: three replicas sharing Redis, in front of one sandbox that revokes every token on
// a new grant and refuses above 60 calls a second, with --rate-limit 50: 24 MCP clients make
// about 1,000 calls with exactly one grant fleet-wide and none ending in 1010 or 1110, and the
// replicas' metrics agree with the sandbox's counters. With Redis killed, calls go on, also
// when the cloud revokes the token; with Redis back, the fleet converges on one token.
func TestFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("the fleet test takes about 25s")
	}
	rs := testutil.StartRedis(t)
	sb := startBin(t, "sandbox", "--listen", "127.0.0.1:0", "--revoke-on-grant", "--qps", "60")
	sbURL := sb.url(t)
	var fleet []replica
	for range 3 {
		p := startBin(t, append([]string{"http", "--listen", "127.0.0.1:0", "--token-store", rs.URL(), "--rate-limit", "50",
			"--metrics-listen", "127.0.0.1:0"}, demoCloud(sbURL)...)...)
		fleet = append(fleet, replica{p: p, mcpURL: p.url(t), metrics: p.waitLine(t, metricsLine)[1]})
	}
	const clients = 24
	var mcs []*mcpclient.Client
	for i := range clients {
		c, err := mcpclient.NewStreamableHttpClient(fleet[i%3].mcpURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		tooltest.Initialize(t, c, "")
		mcs = append(mcs, c)
	}
	// run makes perClient device_get calls on every client and returns the failures' texts.
	run := func(perClient int) []string {
		var mu sync.Mutex
		var fails []string
		var wg sync.WaitGroup
		for _, c := range mcs {
			wg.Go(func() {
				for range perClient {
					ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
					var req mcp.CallToolRequest
					req.Params.Name = "device_get"
					req.Params.Arguments = map[string]any{"device_id": sandbox.DemoStripID}
					res, err := c.CallTool(ctx, req)
					cancel()
					if err != nil || res.IsError {
						mu.Lock()
						fails = append(fails, fmt.Sprint(err, res))
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		return fails
	}
	sum := func(name string) float64 {
		var s float64
		for _, r := range fleet {
			s += scrape(t, r.metrics)[name]
		}
		return s
	}

	start := time.Now()
	if fails := run(40); len(fails) > 0 {
		t.Fatalf("%d of %d calls failed; first: %s", len(fails), clients*40, fails[0])
	}
	took := time.Since(start)
	st := sandboxStats(t, sbURL)
	t.Logf("%d calls in %s through 3 replicas: %+v", clients*40, took.Round(time.Millisecond), st)
	if st.TokenGrants != 1 {
		t.Fatalf("%d grants fleet-wide, want 1", st.TokenGrants)
	}
	// No call ended in 1010 or 1110 (every call succeeded). The cloud never refused a token;
	// it may refuse a few requests for its rate when a loaded machine stalls a replica after
	// it took budget and the delayed requests then arrive together, but far fewer than the
	// fifth of the calls it refuses without the shared budget (BenchmarkFleetThroughput).
	if st.AnswersByCode["1010"] != 0 {
		t.Fatalf("the sandbox answered 1010 %d times", st.AnswersByCode["1010"])
	}
	if n := st.AnswersByCode["1110"]; n > clients*40/20 {
		t.Fatalf("the sandbox answered 1110 %d times for %d calls", n, clients*40)
	}
	checks := []struct {
		metric string
		want   float64
	}{
		{"tuya_mcp_token_grants_total", float64(st.TokenGrants)},
		{"tuya_mcp_tuya_requests_total", float64(st.Requests)},
		{`tuya_mcp_tuya_errors_total{code="1110"}`, float64(st.AnswersByCode["1110"])},
		{`tuya_mcp_tool_calls_total{outcome="ok",tool="device_get"}`, clients * 40},
		{"tuya_mcp_tool_calls_in_flight", 0},
	}
	for _, c := range checks {
		if got := sum(c.metric); got != c.want {
			t.Errorf("%s summed over the replicas = %g, the sandbox says %g", c.metric, got, c.want)
		}
	}
	if sum("tuya_mcp_rate_limit_waits_total") == 0 {
		t.Error("no replica waited for the shared rate budget")
	}

	// Redis dies mid-run: the replicas keep their token in memory and pace themselves alone.
	done := make(chan []string)
	go func() { done <- run(8) }()
	time.Sleep(time.Second)
	rs.Stop()
	if fails := <-done; len(fails) > 0 {
		t.Fatalf("%d calls failed while Redis was killed; first: %s", len(fails), fails[0])
	}
	if sum(`tuya_mcp_token_store_errors_total{cause="outage",op="rate"}`) == 0 {
		t.Error("no store error counted while Redis was down")
	}
	// The cloud revokes the token while Redis is down: each replica grants its own, and with
	// this cloud each grant revokes the others', so some calls fail, but calls go on.
	revoke(t, sbURL)
	fails := run(8)
	if len(fails) == clients*8 {
		t.Fatalf("every call failed while Redis was down; first: %s", fails[0])
	}
	t.Logf("Redis down and the token revoked: %d of %d calls failed", len(fails), clients*8)
	if sum("tuya_mcp_token_store_fallbacks_total") == 0 {
		t.Error("no fallback to a token of the process counted")
	}
	// Redis comes back, empty: within the store's retry interval the replicas share one token.
	rs.Start()
	time.Sleep(3 * time.Second)
	run(2)
	grants := sandboxStats(t, sbURL).TokenGrants
	if fails := run(8); len(fails) > 0 {
		t.Fatalf("%d calls failed after Redis came back; first: %s", len(fails), fails[0])
	}
	if st := sandboxStats(t, sbURL); st.TokenGrants != grants {
		t.Fatalf("%d more grants after Redis came back: the replicas did not converge on one token", st.TokenGrants-grants)
	}
	if sum("tuya_mcp_token_store_fallback") != 0 {
		t.Error("a replica still reports its own token")
	}
	for _, r := range fleet {
		for _, tok := range []string{"access_token", "refresh_token"} {
			if strings.Contains(r.p.stderr(), tok+`":"`) {
				t.Fatalf("a replica logged a %s", tok)
			}
		}
	}
}

// TestFileStoreProcesses: five `tuya-mcp call` processes started together on an empty cache
// share one grant through the file store, whose file is 0600 in a 0700 directory.
//
// check shares the token too, and file:~/DIR is in the home directory.
func TestFileStoreProcesses(t *testing.T) {
	t.Parallel()
	srv := startSandbox(t, sandbox.Options{Faults: sandbox.Faults{RevokeOnGrant: true}})
	cache := t.TempDir()
	var wg sync.WaitGroup
	outs := make([]outcome, 5)
	for i := range outs {
		wg.Go(func() {
			outs[i] = runBin(t, []string{"XDG_CACHE_HOME=" + cache, "HOME=" + cache},
				append(append([]string{"call"}, demoCloud(srv.URL)...), "device_get", "device_id="+sandbox.DemoStripID)...)
		})
	}
	wg.Wait()
	for i, o := range outs {
		if o.code != 0 {
			t.Fatalf("process %d: exit %d: %s", i, o.code, o.stderr)
		}
	}
	if st := srv.Stats(); st.TokenGrants != 1 {
		t.Fatalf("%d grants for five processes sharing the file store, want 1", st.TokenGrants)
	}
	dir := filepath.Join(cache, "tuya-mcp")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("token files: %v", files)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, files[0]: 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode() != want {
			t.Fatalf("%s: %v %v, want %v", path, fi.Mode(), err, want)
		}
	}
	// check and a store given as ~/DIR use the same token: no new grant revokes the others'.
	home := t.TempDir()
	link := filepath.Join(home, "shared")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	if o := runBin(t, []string{"HOME=" + home}, append([]string{"check", "--token-store", "file:~/shared"}, demoCloud(srv.URL)...)...); o.code != 0 {
		t.Fatalf("check: exit %d: %s%s", o.code, o.stdout, o.stderr)
	}
	if o := runBin(t, []string{"HOME=" + home, "TUYA_MCP_TOKEN_STORE=file:~/shared"},
		append(append([]string{"call"}, demoCloud(srv.URL)...), "device_list")...); o.code != 0 {
		t.Fatalf("call: exit %d: %s", o.code, o.stderr)
	}
	if st := srv.Stats(); st.TokenGrants != 1 {
		t.Fatalf("%d grants after check and a call on the shared store, want 1", st.TokenGrants)
	}
	if _, err := os.Stat(filepath.Join(home, "~")); err == nil {
		t.Fatal(`file:~/shared made a directory named "~"`)
	}
	// --sandbox leaves nothing behind, whatever the store.
	sandboxCache := t.TempDir()
	if o := runBin(t, []string{"XDG_CACHE_HOME=" + sandboxCache}, "call", "--sandbox", "device_list"); o.code != 0 {
		t.Fatalf("exit %d: %s", o.code, o.stderr)
	}
	if left, _ := os.ReadDir(sandboxCache); len(left) != 0 {
		t.Fatalf("--sandbox left %d entries in the cache", len(left))
	}
}

// TestGrantLockOfADeadReplica: a replica killed while it holds the grant lock (its token
// request never answered) stops the others only until the lock times out; then one grants.
func TestGrantLockOfADeadReplica(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the 15s grant lock")
	}
	t.Parallel()
	rs := testutil.StartRedis(t)
	srv := startSandbox(t, sandbox.Options{Faults: sandbox.Faults{RevokeOnGrant: true}})
	target, _ := url.Parse(srv.URL)
	rp := httputil.NewSingleHostReverseProxy(target)
	// Both replicas use this proxy as their endpoint (the store names a project by its Access ID
	// and endpoint); it holds the first token request until the caller is gone.
	held := make(chan struct{})
	var once sync.Once
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first := false
		if r.URL.Path == "/v1.0/token" {
			once.Do(func() { first = true })
		}
		if first {
			close(held)
			<-r.Context().Done()
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	start := func() (*proc, *mcpclient.Client) {
		p := startBin(t, append([]string{"http", "--listen", "127.0.0.1:0", "--token-store", rs.URL()}, demoCloud(proxy.URL)...)...)
		c, err := mcpclient.NewStreamableHttpClient(p.url(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		tooltest.Initialize(t, c, "")
		return p, c
	}
	call := func(c *mcpclient.Client) (*mcp.CallToolResult, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
		defer cancel()
		var req mcp.CallToolRequest
		req.Params.Name = "device_get"
		req.Params.Arguments = map[string]any{"device_id": sandbox.DemoStripID}
		return c.CallTool(ctx, req)
	}
	pa, ca := start()
	_, cb := start()
	go call(ca)
	select {
	case <-held:
	case <-time.After(20 * time.Second):
		t.Fatal("replica A never asked for a token")
	}
	pa.cmd.Process.Kill()
	began := time.Now()
	res, err := call(cb)
	if err != nil || res.IsError {
		t.Fatalf("replica B: %v %+v", err, res)
	}
	waited := time.Since(began)
	t.Logf("replica B granted after %s", waited.Round(time.Millisecond))
	if st := srv.Stats(); st.TokenGrants != 1 {
		t.Fatalf("%d grants reached the cloud, want B's one", st.TokenGrants)
	}
	if waited < 5*time.Second {
		t.Fatalf("B granted after %s: it did not wait for the dead replica's lock", waited)
	}
}

// TestStdioMetrics: stdio serves metrics too, on their own listener.
func TestStdioMetrics(t *testing.T) {
	t.Parallel()
	p := startBin(t, "stdio", "--sandbox", "--metrics-listen", "127.0.0.1:0")
	m := scrape(t, p.waitLine(t, metricsLine)[1])
	if v, ok := m["tuya_mcp_tool_calls_in_flight"]; !ok || v != 0 {
		t.Fatalf("tuya_mcp_tool_calls_in_flight = %v (present %v)", v, ok)
	}
	if _, ok := m["tuya_mcp_token_grants_total"]; !ok {
		t.Fatal("no tuya_mcp_token_grants_total on the page")
	}
}
