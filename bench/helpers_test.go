package bench_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// Environment variables that point the benchmarks at prebuilt artefacts; bench/run sets both.
const (
	// envBinary is a built tuya-mcp; without it the benchmarks that need one build it.
	envBinary = "TUYA_MCP_BENCH_BIN"
	// envEverything is the entry point of @modelcontextprotocol/server-everything; without it
	// the npm install under node/ is used when present, else the comparison is skipped.
	envEverything = "TUYA_MCP_BENCH_EVERYTHING"
)

// protocolVersion is the MCP version the benchmark clients negotiate: the newest released
// specification, which current agents speak. mcp-go's newer draft version adds per-request
// metadata work on the client side that no agent pays today.
const protocolVersion = "2025-11-25"

// callTimeout bounds any single call the benchmarks make, so a wedged server fails the run
// instead of hanging it.
const callTimeout = 10 * time.Second

// stack is a sandbox on loopback, a client of it and an MCP server of every tool on that client:
// the in-process equivalent of `tuya-mcp --sandbox`.
type stack struct {
	sb  *sandbox.Server
	c   *client.Client
	srv *server.MCPServer
}

func newStack(tb testing.TB) *stack {
	tb.Helper()
	st := tooltest.NewStack(tb, tooltest.StackOptions{Tools: tools.Options{Version: "bench"}})
	return &stack{sb: st.Sandbox, c: st.Tuya, srv: st.Server}
}

// bareGet is the call the overhead is measured against: the client alone.
func (s *stack) bareGet(ctx context.Context) error {
	_, err := s.c.GetDevice(ctx, sandbox.DemoStripID)
	return err
}

// deviceGetLine is a tools/call of device_get as a client sends it.
const deviceGetLine = `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"device_get","arguments":{"device_id":"` +
	sandbox.DemoStripID + `"}}}`

// serverGet is device_get as a transport hands it to the MCP server: the request decoded, the
// tool run and the reply encoded, with no client library on either side.
func (s *stack) serverGet(ctx context.Context) error {
	resp := s.srv.HandleMessage(ctx, json.RawMessage(deviceGetLine))
	if _, err := json.Marshal(resp); err != nil {
		return err
	}
	r, ok := resp.(mcp.JSONRPCResponse)
	if !ok {
		return fmt.Errorf("device_get: %#v", resp)
	}
	if res, ok := r.Result.(*mcp.CallToolResult); !ok || res.IsError {
		return fmt.Errorf("device_get: unexpected result %#v", r.Result)
	}
	return nil
}

// mcpFloor returns a call like serverGet on a bare mcp-go server whose device_get answers with
// the result s gives, without calling Tuya: what mcp-go costs for the same request and reply.
func mcpFloor(ctx context.Context, s *stack) (func(context.Context) error, error) {
	resp, ok := s.srv.HandleMessage(ctx, json.RawMessage(deviceGetLine)).(mcp.JSONRPCResponse)
	if !ok {
		return nil, errors.New("device_get failed")
	}
	res, ok := resp.Result.(*mcp.CallToolResult)
	if !ok || res.IsError {
		return nil, fmt.Errorf("device_get: unexpected result %#v", resp.Result)
	}
	srv := server.NewMCPServer("floor", "1", server.WithToolCapabilities(false))
	srv.AddTool(mcp.NewTool("device_get"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return res, nil
	})
	return (&stack{srv: srv}).serverGet, nil
}

// inProcess returns an initialised in-process MCP client of s.
func (s *stack) inProcess(tb testing.TB) *mcpclient.Client {
	tb.Helper()
	mc, err := mcpclient.NewInProcessClient(s.srv)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { mc.Close() })
	initialize(tb, mc)
	return mc
}

// serveHTTP serves s over stateless Streamable HTTP on loopback, as `tuya-mcp http` does, and
// returns the /mcp URL.
func (s *stack) serveHTTP(tb testing.TB) string {
	tb.Helper()
	mux := http.NewServeMux()
	mux.Handle("/mcp", server.NewStreamableHTTPServer(s.srv, server.WithStateLess(true), server.WithDisableStreaming(true)))
	hs := httptest.NewServer(mux)
	tb.Cleanup(hs.Close)
	return hs.URL + "/mcp"
}

// httpClient returns an initialised Streamable HTTP client of url with a connection pool of its
// own, so that n clients hold n keep-alive connections as n separate agents would.
func httpClient(tb testing.TB, url string) *mcpclient.Client {
	tb.Helper()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: time.Minute}}
	tb.Cleanup(hc.CloseIdleConnections)
	mc, err := mcpclient.NewStreamableHttpClient(url, transport.WithHTTPBasicClient(hc))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { mc.Close() })
	initialize(tb, mc)
	return mc
}

// initialize runs the handshake at the benchmarks' protocol version.
func initialize(tb testing.TB, mc *mcpclient.Client) {
	tb.Helper()
	tooltest.Initialize(tb, mc, protocolVersion)
}

// deviceGet returns a call of device_get on the demo power strip through mc.
func deviceGet(mc *mcpclient.Client) func(context.Context) error {
	req := mcp.CallToolRequest{}
	req.Params.Name = "device_get"
	req.Params.Arguments = map[string]any{"device_id": sandbox.DemoStripID}
	return func(ctx context.Context) error {
		res, err := mc.CallTool(ctx, req)
		if err != nil {
			return err
		}
		if res.IsError {
			return fmt.Errorf("device_get: error result: %v", res.Content)
		}
		return nil
	}
}

// binary returns the path of a built tuya-mcp: $TUYA_MCP_BENCH_BIN, or one built for this
// benchmark as the README builds it, static (CGO_ENABLED=0).
func binary(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv(envBinary); p != "" {
		return p
	}
	p := filepath.Join(tb.TempDir(), "tuya-mcp")
	build := exec.Command("go", "build", "-o", p, "github.com/tuya-mcp/tuya-mcp/cmd/tuya-mcp")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	if err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return p
}

// everything returns how to start @modelcontextprotocol/server-everything over stdio, or ok
// false when it is not installed.
func everything() (name string, args []string, ok bool) {
	p := os.Getenv(envEverything)
	if p == "" {
		p = filepath.Join("node", "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
	}
	if _, err := os.Stat(p); err != nil {
		return "", nil, false
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return "", nil, false
	}
	return node, []string{p, "stdio"}, true
}

// process is a running `tuya-mcp http --sandbox`.
type process struct {
	url string
	pid int
}

// startHTTPBinary runs `tuya-mcp http --sandbox` on a free loopback port until the test ends.
func startHTTPBinary(tb testing.TB) process {
	tb.Helper()
	cmd := exec.Command(binary(tb), "http", "--sandbox", "--listen", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	url, err := listeningURL(stderr)
	if err != nil {
		tb.Fatal(err)
	}
	return process{url: url, pid: cmd.Process.Pid}
}

// listeningURL reads the server's stderr up to the "listening on URL" line, then keeps
// draining it in the background: the server logs a line per call and must never block on a
// full pipe.
func listeningURL(stderr io.Reader) (string, error) {
	const prefix = "listening on "
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), prefix); ok {
				found <- u
				break
			}
		}
		close(found)
		io.Copy(io.Discard, stderr)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			return "", errors.New("the server exited without printing its address")
		}
		return u, nil
	case <-time.After(callTimeout):
		return "", errors.New("the server printed no address in time")
	}
}

// load makes n calls in all, spread over the callers running concurrently (each caller makes
// its calls one after another), and returns every call's latency and the wall time.
func load(ctx context.Context, callers []func(context.Context) error, n int) ([]time.Duration, time.Duration, error) {
	var next atomic.Int64
	lats := make([][]time.Duration, len(callers))
	errs := make([]error, len(callers))
	var wg sync.WaitGroup
	start := time.Now()
	for i, call := range callers {
		wg.Go(func() {
			lats[i] = make([]time.Duration, 0, n/len(callers)+1)
			for next.Add(1) <= int64(n) {
				t := time.Now()
				cctx, cancel := context.WithTimeout(ctx, callTimeout)
				err := call(cctx)
				cancel()
				if err != nil {
					errs[i] = err
					return
				}
				lats[i] = append(lats[i], time.Since(t))
			}
		})
	}
	wg.Wait()
	return slices.Concat(lats...), time.Since(start), errors.Join(errs...)
}

// percentile returns the p-th percentile (0 < p <= 100) of ds by nearest rank.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// reportLoad reports a load run of b.N calls: its throughput, its latency percentiles and its
// CPU time per call.
func reportLoad(b *testing.B, lats []time.Duration, wall, cpu time.Duration) {
	b.ReportMetric(float64(b.N)/wall.Seconds(), "calls/s")
	b.ReportMetric(micros(percentile(lats, 50)), "p50-µs")
	b.ReportMetric(micros(percentile(lats, 99)), "p99-µs")
	b.ReportMetric(micros(cpu)/float64(b.N), "cpu-µs/call")
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// procStatus returns a field of /proc/PID/status in bytes, such as VmRSS.
func procStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(v)
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("/proc/%d/status: unexpected %s line %q", pid, field, line)
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no %s", pid, field)
}

// userHZ is the unit of the CPU times in /proc/PID/stat, fixed at 100 by the kernel's ABI.
const userHZ = 100

// cpuTime returns the user plus system CPU time the process has used, all threads included.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces; the fields after its ')' are fixed, with
	// utime and stime the 14th and 15th of the line.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// selfCPU returns the user plus system CPU time this process has used (getrusage).
func selfCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// peakRSS samples the process's VmRSS until stop is closed and returns the largest value seen.
func peakRSS(pid int, stop <-chan struct{}) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var peak int64
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			if rss, err := procStatus(pid, "VmRSS"); err == nil {
				peak = max(peak, rss)
			}
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// start is what coldStart measures, from just before the process starts.
type start struct {
	// initialized is the time to the initialize reply, listed to the tools/list reply.
	initialized, listed time.Duration
	// cpu is the CPU time (user and system, all threads) the process used until it was
	// stopped after the tools/list reply: unlike wall time, barely affected by other load.
	cpu time.Duration
	// listBytes is the size of the tools/list reply.
	listBytes int
}

// coldStart starts a stdio MCP server, initialises it and lists its tools.
func coldStart(ctx context.Context, name string, args ...string) (start, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	in, err := cmd.StdinPipe()
	if err != nil {
		return start{}, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return start{}, err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return start{}, err
	}
	st, err := handshake(in, bufio.NewReaderSize(out, 64<<10), t0)
	in.Close()
	cmd.Process.Kill()
	cmd.Wait()
	if err != nil {
		return start{}, err
	}
	st.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return st, nil
}

// handshake makes a client's first exchange, timing the replies from t0.
func handshake(w io.Writer, r *bufio.Reader, t0 time.Time) (start, error) {
	if _, err := io.WriteString(w, initializeLine+"\n"); err != nil {
		return start{}, err
	}
	if _, err := replyTo(r, 1); err != nil {
		return start{}, err
	}
	initialized := time.Since(t0)
	if _, err := io.WriteString(w, initializedLine+"\n"+toolsListLine+"\n"); err != nil {
		return start{}, err
	}
	line, err := replyTo(r, 2)
	if err != nil {
		return start{}, err
	}
	return start{initialized: initialized, listed: time.Since(t0), listBytes: len(line)}, nil
}

// runToExit returns how long a command takes to run to its end: for `tuya-mcp version`, the
// floor of any start (exec, loading, runtime and package initialisation).
func runToExit(ctx context.Context, name string, args ...string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}

// The requests of a client's first exchange.
const (
	initializeLine  = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"` + protocolVersion + `","capabilities":{},"clientInfo":{"name":"tuya-mcp-bench","version":"1"}}}`
	initializedLine = `{"jsonrpc":"2.0","method":"notifications/initialized"}`
	toolsListLine   = `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`
)

// replyTo reads lines until the reply to request id and returns it without its newline.
// Notifications and log lines a server may print first are skipped.
func replyTo(r *bufio.Reader, id int) ([]byte, error) {
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return nil, fmt.Errorf("reading the reply to request %d: %w", id, err)
		}
		line = bytes.TrimRight(line, "\r\n")
		var msg struct {
			ID    *int            `json:"id"`
			Error json.RawMessage `json:"error"`
		}
		if json.Unmarshal(line, &msg) != nil || msg.ID == nil || *msg.ID != id {
			continue
		}
		if msg.Error != nil {
			return nil, fmt.Errorf("request %d: %s", id, msg.Error)
		}
		return line, nil
	}
}
