package bench_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
)

// BenchmarkDeviceGet measures one device_get against the same sandbox: the bare client call,
// then the same call through the MCP server alone, through the server and the in-process client, over Streamable HTTP in process, and
// through the built binary over stdio and over Streamable HTTP (with its own --sandbox).
func BenchmarkDeviceGet(b *testing.B) {
	ctx := context.Background()
	run := func(b *testing.B, call func(context.Context) error) {
		b.Helper()
		if err := call(ctx); err != nil { // the token grant and the first connection
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := call(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("bare", func(b *testing.B) {
		run(b, newStack(b).bareGet)
	})
	b.Run("server", func(b *testing.B) {
		s := newStack(b)
		run(b, s.serverGet)
	})
	b.Run("inprocess", func(b *testing.B) {
		s := newStack(b)
		run(b, deviceGet(s.inProcess(b)))
	})
	b.Run("http-inprocess", func(b *testing.B) {
		s := newStack(b)
		run(b, deviceGet(httpClient(b, s.serveHTTP(b))))
	})
	b.Run("stdio", func(b *testing.B) {
		mc, err := mcpclient.NewStdioMCPClient(binary(b), nil, "--sandbox")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { mc.Close() })
		initialize(b, mc)
		run(b, deviceGet(mc))
	})
	b.Run("http", func(b *testing.B) {
		run(b, deviceGet(httpClient(b, startHTTPBinary(b).url)))
	})
}

// BenchmarkOverhead times the same device_get four ways, in alternating blocks of calls so that
// every way sees the same machine state while each call follows one of its own kind. (Alternating
// call by call flatters the slower ways: each bare call then inherits their scheduler and cache
// state and slows down, which hid half of the overhead in earlier runs.) The ways:
//   - bare: the client call alone, the reference;
//   - server: the MCP server alone, as a transport sees it: request decoded, tool run, reply
//     encoded;
//   - inprocess: mcp-go's in-process client on the server, which also decodes the reply;
//   - floor: mcp-go by itself, a server whose device_get returns the same result without
//     calling Tuya. bare plus floor is the least any tool server on mcp-go can take.
//
// Ratios are medians over the bare call's median; floor/bare is (bare + floor) / bare.
func BenchmarkOverhead(b *testing.B) {
	const block = 200
	ctx := context.Background()
	s := newStack(b)
	floor, err := mcpFloor(ctx, s)
	if err != nil {
		b.Fatal(err)
	}
	paths := []func(context.Context) error{s.bareGet, s.serverGet, deviceGet(s.inProcess(b)), floor}
	lats := make([][]time.Duration, len(paths))
	for b.Loop() {
		for i, call := range paths {
			if err := call(ctx); err != nil { // not timed: the first call after another way's block
				b.Fatal(err)
			}
			for range block {
				t := time.Now()
				if err := call(ctx); err != nil {
					b.Fatal(err)
				}
				lats[i] = append(lats[i], time.Since(t))
			}
		}
	}
	bare, srv, inproc, fl := percentile(lats[0], 50), percentile(lats[1], 50), percentile(lats[2], 50), percentile(lats[3], 50)
	b.ReportMetric(micros(bare), "bare-p50-µs")
	b.ReportMetric(micros(srv), "server-p50-µs")
	b.ReportMetric(micros(inproc), "inprocess-p50-µs")
	b.ReportMetric(micros(fl), "mcpgo-p50-µs")
	b.ReportMetric(float64(srv)/float64(bare), "server/bare")
	b.ReportMetric(float64(inproc)/float64(bare), "inprocess/bare")
	b.ReportMetric(float64(bare+fl)/float64(bare), "floor/bare")
}

// BenchmarkThroughput drives `tuya-mcp http --sandbox` with 1, 16 and 64 concurrent clients,
// each with its own connection making one device_get after another. cpu-µs/call is the server
// process's CPU time (user and system) per call.
func BenchmarkThroughput(b *testing.B) {
	for _, n := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			ctx := context.Background()
			p := startHTTPBinary(b)
			idle, err := procStatus(p.pid, "VmRSS")
			if err != nil {
				b.Fatal(err)
			}
			callers := make([]func(context.Context) error, n)
			for i := range callers {
				callers[i] = deviceGet(httpClient(b, p.url))
			}
			// One call each, so that the token, the connections and the pools are in place.
			if _, _, err := load(ctx, callers, n); err != nil {
				b.Fatal(err)
			}
			cpu0, err := cpuTime(p.pid)
			if err != nil {
				b.Fatal(err)
			}
			stop := make(chan struct{})
			peak := peakRSS(p.pid, stop)
			b.ResetTimer()
			lats, wall, err := load(ctx, callers, b.N)
			b.StopTimer()
			close(stop)
			if err != nil {
				b.Fatal(err)
			}
			cpu1, err := cpuTime(p.pid)
			if err != nil {
				b.Fatal(err)
			}
			reportLoad(b, lats, wall, cpu1-cpu0)
			b.ReportMetric(float64(idle)/(1<<20), "rss-idle-MiB")
			b.ReportMetric(float64(<-peak)/(1<<20), "rss-peak-MiB")
		})
	}
}

// BenchmarkHTTPLoad is the 16-client throughput run against a server in this process, so that
// -cpuprofile and -memprofile see the HTTP server under load. cpu-µs/call is this process's CPU
// time per call, the clients' included.
func BenchmarkHTTPLoad(b *testing.B) {
	const n = 16
	ctx := context.Background()
	s := newStack(b)
	url := s.serveHTTP(b)
	callers := make([]func(context.Context) error, n)
	for i := range callers {
		callers[i] = deviceGet(httpClient(b, url))
	}
	if _, _, err := load(ctx, callers, n); err != nil {
		b.Fatal(err)
	}
	cpu0, err := selfCPU()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	lats, wall, err := load(ctx, callers, b.N)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	cpu1, err := selfCPU()
	if err != nil {
		b.Fatal(err)
	}
	reportLoad(b, lats, wall, cpu1-cpu0)
}

// Sizes of the memory-growth run.
const (
	growthWarmup  = 1000
	growthCalls   = 10000
	growthClients = 16
)

// BenchmarkMemoryGrowth makes 10,000 device_get calls over Streamable HTTP with 16 clients after
// a warm-up, and compares memory before and after: the binary's resident set, and the Go heap
// after a GC of a server in process.
func BenchmarkMemoryGrowth(b *testing.B) {
	ctx := context.Background()
	clients := func(b *testing.B, url string) []func(context.Context) error {
		callers := make([]func(context.Context) error, growthClients)
		for i := range callers {
			callers[i] = deviceGet(httpClient(b, url))
		}
		if _, _, err := load(ctx, callers, growthWarmup); err != nil {
			b.Fatal(err)
		}
		return callers
	}
	b.Run("binary", func(b *testing.B) {
		p := startHTTPBinary(b)
		callers := clients(b, p.url)
		for b.Loop() {
			before, err := procStatus(p.pid, "VmRSS")
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := load(ctx, callers, growthCalls); err != nil {
				b.Fatal(err)
			}
			after, err := procStatus(p.pid, "VmRSS")
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(before)/(1<<20), "rss-before-MiB")
			b.ReportMetric(float64(after)/(1<<20), "rss-after-MiB")
		}
	})
	b.Run("inprocess", func(b *testing.B) {
		s := newStack(b)
		callers := clients(b, s.serveHTTP(b))
		for b.Loop() {
			before := heapAfterGC()
			if _, _, err := load(ctx, callers, growthCalls); err != nil {
				b.Fatal(err)
			}
			after := heapAfterGC()
			b.ReportMetric(float64(before)/(1<<10), "heap-before-KiB")
			b.ReportMetric(float64(after)/(1<<10), "heap-after-KiB")
		}
	})
}

// heapAfterGC returns the bytes of live heap objects after a full collection. Two GCs let the
// finalizers the first one queued run and their objects go.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkColdStart times process start to the tools/list reply over stdio, alternating
// `tuya-mcp --sandbox` and, when installed, @modelcontextprotocol/server-everything. It also
// times `tuya-mcp version` run to its end, the floor of any start, and tuya-mcp's initialize
// reply.
func BenchmarkColdStart(b *testing.B) {
	ctx := context.Background()
	bin := binary(b)
	node, args, withNode := everything()
	if !withNode {
		b.Log("server-everything is not installed (npm ci in bench/node): no comparison")
	}
	var floor, inits, ours, oursCPU, theirs, theirsCPU []time.Duration
	var oursBytes, theirsBytes int
	for b.Loop() {
		d, err := runToExit(ctx, bin, "version")
		if err != nil {
			b.Fatal(err)
		}
		floor = append(floor, d)
		st, err := coldStart(ctx, bin, "--sandbox")
		if err != nil {
			b.Fatal(err)
		}
		inits, ours, oursCPU, oursBytes = append(inits, st.initialized), append(ours, st.listed), append(oursCPU, st.cpu), st.listBytes
		if withNode {
			st, err := coldStart(ctx, node, args...)
			if err != nil {
				b.Fatal(err)
			}
			theirs, theirsCPU, theirsBytes = append(theirs, st.listed), append(theirsCPU, st.cpu), st.listBytes
		}
	}
	p := percentile(ours, 50)
	b.ReportMetric(millis(p), "p50-ms")
	b.ReportMetric(millis(percentile(inits, 50)), "initialize-p50-ms")
	b.ReportMetric(millis(percentile(oursCPU, 50)), "cpu-p50-ms")
	b.ReportMetric(millis(percentile(floor, 50)), "version-p50-ms")
	b.ReportMetric(float64(oursBytes), "list-B")
	if withNode {
		pe := percentile(theirs, 50)
		b.ReportMetric(millis(pe), "everything-p50-ms")
		b.ReportMetric(float64(theirsBytes), "everything-list-B")
		b.ReportMetric(millis(percentile(theirsCPU, 50)), "everything-cpu-p50-ms")
		b.ReportMetric(float64(pe)/float64(p), "everything/ours")
	}
}

// BenchmarkToolsList measures the tools/list reply, whole and tool by tool: its bytes and
// estimated tokens (bytes/4), and the time to produce (whole) or encode (per tool) it.
func BenchmarkToolsList(b *testing.B) {
	s := newStack(b)
	ls, err := listTools(context.Background(), s.srv)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("all", func(b *testing.B) {
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := listTools(ctx, s.srv); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(ls.reply), "bytes")
		b.ReportMetric(float64(ls.reply)/4, "tokens")
		b.ReportMetric(float64(len(ls.tools)), "tools")
	})
	for _, t := range ls.tools {
		b.Run(t.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := t.encode(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(t.bytes), "bytes")
			b.ReportMetric(float64(t.bytes)/4, "tokens")
			b.ReportMetric(float64(t.in), "input-B")
			b.ReportMetric(float64(t.out), "output-B")
			b.ReportMetric(float64(t.desc), "description-B")
		})
	}
}

// BenchmarkNetworkEconomy counts token grants and connections to the sandbox: 1,000 sequential
// tool calls, then, on a fresh server, 100 concurrent first calls followed by 1,000 sequential
// ones.
func BenchmarkNetworkEconomy(b *testing.B) {
	for b.Loop() {
		e, err := measureEconomy(b, 1000, 100)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(e.seqGrants), "seq-grants")
		b.ReportMetric(float64(e.seqConns), "seq-conns")
		b.ReportMetric(float64(e.burstGrants), "burst-grants")
		b.ReportMetric(float64(e.burstConns), "burst-conns")
		b.ReportMetric(float64(e.reuseConns), "after-burst-new-conns")
	}
}

// economy is what measureEconomy counts.
type economy struct {
	// seqGrants and seqConns are token grants and TCP connections after seq sequential calls.
	seqGrants, seqConns int64
	// burstGrants and burstConns count them after burst concurrent first calls on a new server.
	burstGrants, burstConns int64
	// reuseConns are the connections opened by seq sequential calls after the burst.
	reuseConns int64
}

// measureEconomy makes device_get calls through the in-process MCP server and reads the
// sandbox's counters.
func measureEconomy(tb testing.TB, seq, burst int) (economy, error) {
	tb.Helper()
	ctx := context.Background()
	var e economy
	s := newStack(tb)
	if _, _, err := load(ctx, []func(context.Context) error{deviceGet(s.inProcess(tb))}, seq); err != nil {
		return e, err
	}
	st := s.sb.Stats()
	e.seqGrants, e.seqConns = st.TokenGrants, st.Connections

	s = newStack(tb)
	call := deviceGet(s.inProcess(tb))
	var wg sync.WaitGroup
	errs := make(chan error, burst)
	start := make(chan struct{})
	for range burst {
		wg.Go(func() {
			<-start
			if err := call(ctx); err != nil {
				errs <- err
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return e, err
	}
	st = s.sb.Stats()
	e.burstGrants, e.burstConns = st.TokenGrants, st.Connections
	if _, _, err := load(ctx, []func(context.Context) error{call}, seq); err != nil {
		return e, err
	}
	e.reuseConns = s.sb.Stats().Connections - e.burstConns
	return e, nil
}
