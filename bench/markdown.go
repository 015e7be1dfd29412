package bench

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The targets the report checks.
const (
	// TargetOverhead is the most a device_get through the in-process MCP server may cost,
	// as a multiple of the bare client call (medians).
	TargetOverhead = 1.25
	// TargetColdStartMs is the most the median cold start to the tools/list reply may take.
	TargetColdStartMs = 30.0
	// TargetToolsListBytesPerTool is the most the tools/list reply of every tool may weigh, per
	// tool listed (about 276 tokens of a model's context each, paid on every conversation): an
	// average, so a new tool of average weight fits and a heavy one must make room.
	TargetToolsListBytesPerTool = 1105
	// TargetGrowth is the most memory may grow over the 10,000-call run, as a fraction.
	TargetGrowth = 0.05
)

// Benchmark names the report reads.
const (
	benchDeviceGet  = "BenchmarkDeviceGet"
	benchOverhead   = "BenchmarkOverhead"
	benchThroughput = "BenchmarkThroughput"
	benchHTTPLoad   = "BenchmarkHTTPLoad"
	benchGrowth     = "BenchmarkMemoryGrowth"
	benchColdStart  = "BenchmarkColdStart"
	benchToolsList  = "BenchmarkToolsList"
	benchEconomy    = "BenchmarkNetworkEconomy"
	benchStartup    = "BenchmarkStartup"
)

// Context describes the run for the report's header.
type Context struct {
	// Go is the toolchain version, Cores the number of CPUs, Load the load average when the run
	// started (other work on the machine skews the figures).
	Go    string
	Cores int
	Load  string
}

// WriteMarkdown writes the report: the targets, then the figures behind them.
func (r *Run) WriteMarkdown(w io.Writer, c Context) error {
	p := &printer{w: w}
	p.f("Measured by `bench/run` on %s (%s/%s, %d cores), %s; load average %s at the start. "+
		"Figures are medians over the runs shown.\n\n", orNA(r.CPU), r.GOOS, r.GOARCH, c.Cores, c.Go, orNA(c.Load))
	r.targets(p)
	r.paths(p)
	r.throughput(p)
	r.memory(p)
	r.coldStart(p)
	r.tools(p)
	return p.err
}

func (r *Run) targets(p *printer) {
	t := table{head: []string{"target", "measured", "goal", "met"}}
	if v, ok := r.Median(benchOverhead, "server/bare"); ok {
		srv, _ := r.Median(benchOverhead, "server-p50-µs")
		bare, _ := r.Median(benchOverhead, "bare-p50-µs")
		t.row("device_get via the MCP server alone (request decoded, reply encoded) / bare client.GetDevice",
			fmt.Sprintf("%.2f (%.0f µs / %.0f µs)", v, srv, bare), fmt.Sprintf("≤ %.2f", TargetOverhead), met(v <= TargetOverhead))
	}
	if v, ok := r.Median(benchOverhead, "floor/bare"); ok {
		fl, _ := r.Median(benchOverhead, "mcpgo-p50-µs")
		t.row("the least any mcp-go server can reach: (bare + mcp-go alone answering with the same result) / bare",
			fmt.Sprintf("%.2f (mcp-go: %.0f µs)", v, fl), fmt.Sprintf("≤ %.2f", TargetOverhead), met(v <= TargetOverhead))
	}
	if v, ok := r.Median(benchOverhead, "inprocess/bare"); ok {
		mcp, _ := r.Median(benchOverhead, "inprocess-p50-µs")
		t.row("device_get via mcp-go's in-process client / bare",
			fmt.Sprintf("%.2f (%.0f µs)", v, mcp), fmt.Sprintf("≤ %.2f", TargetOverhead), met(v <= TargetOverhead))
	}
	if v, ok := r.Median(benchColdStart, "p50-ms"); ok {
		t.row("cold start to the tools/list reply, stdio, --sandbox", fmt.Sprintf("%.1f ms", v),
			fmt.Sprintf("≤ %.0f ms", TargetColdStartMs), met(v <= TargetColdStartMs))
	}
	if v, ok := r.Median(benchToolsList+"/all", "bytes"); ok {
		n, _ := r.Median(benchToolsList+"/all", "tools")
		t.row(fmt.Sprintf("tools/list reply, %.0f tools with output schemas", n), fmt.Sprintf("%s B (~%s tokens)", thousands(v), thousands(v/4)),
			fmt.Sprintf("≤ %s B", thousands(n*TargetToolsListBytesPerTool)), met(v <= n*TargetToolsListBytesPerTool))
	}
	if v, ok := r.Median(benchEconomy, "seq-grants"); ok {
		t.row("token grants for 1,000 sequential calls", num(v), "1", met(v == 1))
	}
	if v, ok := r.Median(benchEconomy, "seq-conns"); ok {
		t.row("connections to the cloud for 1,000 sequential calls", num(v), "1", met(v == 1))
	}
	if v, ok := r.Median(benchEconomy, "burst-grants"); ok {
		t.row("token grants for 100 concurrent first calls", num(v), "1", met(v == 1))
	}
	if v, ok := r.Median(benchEconomy, "after-burst-new-conns"); ok {
		conns, _ := r.Median(benchEconomy, "burst-conns")
		t.row(fmt.Sprintf("new connections for 1,000 sequential calls after that burst (which opened %s)", num(conns)),
			num(v), "0 (pool reused)", met(v == 0))
	}
	if before, ok := r.Median(benchGrowth+"/binary", "rss-before-MiB"); ok {
		after, _ := r.Median(benchGrowth+"/binary", "rss-after-MiB")
		t.row("binary RSS over 10,000 calls (16 HTTP clients)", fmt.Sprintf("%.1f → %.1f MiB (%+.1f%%)", before, after, pct(before, after)),
			fmt.Sprintf("≤ %+.0f%%", TargetGrowth*100), met(after <= before*(1+TargetGrowth)))
	}
	if before, ok := r.Median(benchGrowth+"/inprocess", "heap-before-KiB"); ok {
		after, _ := r.Median(benchGrowth+"/inprocess", "heap-after-KiB")
		t.row("Go heap after GC over 10,000 calls (in process)", fmt.Sprintf("%.0f → %.0f KiB (%+.1f%%)", before, after, pct(before, after)),
			fmt.Sprintf("≤ %+.0f%%", TargetGrowth*100), met(after <= before*(1+TargetGrowth)))
	}
	p.section("Targets", &t)
}

func (r *Run) paths(p *printer) {
	bare, haveBare := r.Median(benchDeviceGet+"/bare", "ns/op")
	t := table{head: []string{"device_get path", "runs", "µs/call", "vs bare", "B/op", "allocs/op"}}
	for _, name := range r.Sub(benchDeviceGet) {
		ns, _ := r.Median(name, "ns/op")
		ratio := "–"
		if haveBare {
			ratio = fmt.Sprintf("%.2f", ns/bare)
		}
		b, _ := r.Median(name, "B/op")
		a, _ := r.Median(name, "allocs/op")
		t.row(strings.TrimPrefix(name, benchDeviceGet+"/"), strconv.Itoa(r.Count(name)), fmt.Sprintf("%.0f", ns/1000), ratio, thousands(b), num(a))
	}
	p.section("device_get by path (same sandbox; stdio and http run the binary with --sandbox)", &t)
}

func (r *Run) throughput(p *printer) {
	t := table{head: []string{"concurrent clients", "calls/s", "p50", "p99", "server CPU/call", "RSS idle", "RSS peak"}}
	for _, name := range r.Sub(benchThroughput) {
		m := func(unit string) float64 { v, _ := r.Median(name, unit); return v }
		t.row(strings.TrimPrefix(name, benchThroughput+"/clients="), fmt.Sprintf("%.0f", m("calls/s")),
			ms(m("p50-µs")), ms(m("p99-µs")), fmt.Sprintf("%.0f µs", m("cpu-µs/call")),
			fmt.Sprintf("%.1f MiB", m("rss-idle-MiB")), fmt.Sprintf("%.1f MiB", m("rss-peak-MiB")))
	}
	if v, ok := r.Median(benchHTTPLoad, "calls/s"); ok {
		m := func(unit string) float64 { v, _ := r.Median(benchHTTPLoad, unit); return v }
		t.row("16, server in the benchmark process", fmt.Sprintf("%.0f", v), ms(m("p50-µs")), ms(m("p99-µs")),
			fmt.Sprintf("%.0f µs (clients included)", m("cpu-µs/call")), "–", "–")
	}
	p.section("Throughput: `tuya-mcp http --sandbox`, device_get over Streamable HTTP, one keep-alive connection per client", &t)
}

func (r *Run) memory(p *printer) {
	t := table{head: []string{"run", "before", "after"}}
	if v, ok := r.Median(benchGrowth+"/binary", "rss-before-MiB"); ok {
		after, _ := r.Median(benchGrowth+"/binary", "rss-after-MiB")
		t.row("binary VmRSS, after 1,000 warm-up calls, then after 10,000 more", fmt.Sprintf("%.1f MiB", v), fmt.Sprintf("%.1f MiB", after))
	}
	if v, ok := r.Median(benchGrowth+"/inprocess", "heap-before-KiB"); ok {
		after, _ := r.Median(benchGrowth+"/inprocess", "heap-after-KiB")
		t.row("in-process server, live heap after GC, same runs", fmt.Sprintf("%.0f KiB", v), fmt.Sprintf("%.0f KiB", after))
	}
	p.section("Memory", &t)
}

func (r *Run) coldStart(p *printer) {
	t := table{head: []string{"server", "median to tools/list reply", "CPU time to it", "tools/list reply", "vs tuya-mcp"}}
	if v, ok := r.Median(benchColdStart, "p50-ms"); ok {
		b, _ := r.Median(benchColdStart, "list-B")
		cpu, _ := r.Median(benchColdStart, "cpu-p50-ms")
		t.row("tuya-mcp --sandbox (Go)", fmt.Sprintf("%.1f ms", v), fmt.Sprintf("%.1f ms", cpu), thousands(b)+" B", "–")
		if i, ok := r.Median(benchColdStart, "initialize-p50-ms"); ok {
			t.row("tuya-mcp --sandbox: to the initialize reply", fmt.Sprintf("%.1f ms", i), "", "", "")
		}
		if f, ok := r.Median(benchColdStart, "version-p50-ms"); ok {
			t.row("`tuya-mcp version` run to its end (exec, runtime and package init)", fmt.Sprintf("%.1f ms", f), "", "", "")
		}
		if e, ok := r.Median(benchColdStart, "everything-p50-ms"); ok {
			eb, _ := r.Median(benchColdStart, "everything-list-B")
			ecpu, _ := r.Median(benchColdStart, "everything-cpu-p50-ms")
			t.row("@modelcontextprotocol/server-everything (Node)", fmt.Sprintf("%.1f ms", e), fmt.Sprintf("%.1f ms", ecpu),
				thousands(eb)+" B", fmt.Sprintf("%.1f× slower", e/v))
		}
	}
	for _, name := range r.Sub(benchStartup) {
		ns, _ := r.Median(name, "ns/op")
		a, _ := r.Median(name, "allocs/op")
		t.row("in process: "+strings.TrimPrefix(name, benchStartup+"/"), fmt.Sprintf("%.1f ms", ns/1e6), "", num(a)+" allocs", "")
	}
	p.section("Cold start over stdio (process start, initialize, tools/list)", &t)
}

func (r *Run) tools(p *printer) {
	t := table{head: []string{"tool", "bytes", "~tokens", "input schema", "output schema", "description"}}
	for _, name := range r.Sub(benchToolsList) {
		if name == benchToolsList+"/all" {
			continue
		}
		m := func(unit string) float64 { v, _ := r.Median(name, unit); return v }
		t.row(strings.TrimPrefix(name, benchToolsList+"/"), thousands(m("bytes")), num(m("tokens")),
			thousands(m("input-B")), thousands(m("output-B")), thousands(m("description-B")))
	}
	if v, ok := r.Median(benchToolsList+"/all", "bytes"); ok {
		t.row("**whole reply**", thousands(v), num(v/4), "", "", "")
	}
	p.section("Context cost: tools/list, per tool (bytes of each tool's JSON; tokens estimated as bytes/4)", &t)
}

// printer writes Markdown and keeps the first error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// section writes a heading and the table, or says that nothing was measured.
func (p *printer) section(title string, t *table) {
	p.f("### %s\n\n", title)
	if len(t.rows) == 0 {
		p.f("Not measured in this run.\n\n")
		return
	}
	p.f("| %s |\n|%s\n", strings.Join(t.head, " | "), strings.Repeat("---|", len(t.head)))
	for _, r := range t.rows {
		p.f("| %s |\n", strings.Join(r, " | "))
	}
	p.f("\n")
}

type table struct {
	head []string
	rows [][]string
}

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func orNA(s string) string {
	if s == "" {
		return "n/a"
	}
	return s
}

func pct(before, after float64) float64 {
	if before == 0 {
		return 0
	}
	return (after - before) / before * 100
}

// ms renders microseconds as milliseconds.
func ms(us float64) string { return fmt.Sprintf("%.2f ms", us/1000) }

// num renders a count without a fraction.
func num(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }

// thousands renders a count with thousands separators.
func thousands(v float64) string {
	s := num(v)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
