package bench_test

import (
	"strings"
	"testing"

	"github.com/tuya-mcp/tuya-mcp/bench"
)

// sample is go test output as bench/run collects it: two runs, header lines, a log line and a
// PASS line between the results.
const sample = `goos: linux
goarch: amd64
pkg: github.com/tuya-mcp/tuya-mcp/bench
cpu: Test CPU @ 3.0GHz
BenchmarkDeviceGet/bare-2         	   20924	    100000 ns/op	   21360 B/op	     249 allocs/op
BenchmarkDeviceGet/bare-2         	   17772	    140000 ns/op	   21349 B/op	     249 allocs/op
BenchmarkDeviceGet/bare-2         	   17772	    120000 ns/op	   21349 B/op	     249 allocs/op
BenchmarkDeviceGet/server-2       	   10000	    150000 ns/op	   33812 B/op	     352 allocs/op
BenchmarkOverhead-2               	      20	  98262047 ns/op	       100.0 bare-p50-µs	         1.300 floor/bare	       300.0 inprocess-p50-µs	         3.000 inprocess/bare	        30.00 mcpgo-p50-µs	       120.0 server-p50-µs	         1.200 server/bare
BenchmarkOverhead-2               	      20	  98262047 ns/op	       100.0 bare-p50-µs	         1.300 floor/bare	       300.0 inprocess-p50-µs	         1.000 inprocess/bare	        30.00 mcpgo-p50-µs	       120.0 server-p50-µs	         1.200 server/bare
BenchmarkColdStart
    bench_test.go:12: server-everything is not installed
BenchmarkColdStart-2   	      20	 862474984 ns/op	       22556 list-B	        25.00 p50-ms
BenchmarkToolsList/all-2       	    1000	    100 ns/op	   22556 bytes	   5639 tokens	 20.00 tools
BenchmarkToolsList/device_get-2       	    1000	    100 ns/op	   1641 bytes	   410.2 tokens	 159.0 input-B	 1196 output-B	 72.00 description-B
BenchmarkNetworkEconomy-2               	       1	 734884160 ns/op	         3.000 after-burst-new-conns	       100.0 burst-conns	         1.000 burst-grants	         1.000 seq-conns	         1.000 seq-grants
BenchmarkMemoryGrowth/binary-2          	       1	4675699439 ns/op	        20.00 rss-after-MiB	        19.00 rss-before-MiB
PASS
ok  	github.com/tuya-mcp/tuya-mcp/bench	14.868s
`

func TestParseMedian(t *testing.T) {
	r, err := bench.Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if r.CPU != "Test CPU @ 3.0GHz" || r.GOOS != "linux" || r.GOARCH != "amd64" {
		t.Errorf("header: %q %q %q", r.CPU, r.GOOS, r.GOARCH)
	}
	tests := []struct {
		name, unit string
		want       float64
		ok         bool
	}{
		{"BenchmarkDeviceGet/bare", "ns/op", 120000, true}, // odd count: the middle value
		{"BenchmarkOverhead", "inprocess/bare", 2, true},   // even count: the mean of the middle two
		{"BenchmarkDeviceGet/server", "allocs/op", 352, true},
		{"BenchmarkColdStart", "p50-ms", 25, true},
		{"BenchmarkDeviceGet/bare", "p50-ms", 0, false}, // a unit it does not report
		{"BenchmarkDeviceGet", "ns/op", 0, false},       // only its sub-benchmarks have results
	}
	for _, tt := range tests {
		got, ok := r.Median(tt.name, tt.unit)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Median(%s, %s) = %v, %v; want %v, %v", tt.name, tt.unit, got, ok, tt.want, tt.ok)
		}
	}
	if n := r.Count("BenchmarkDeviceGet/bare"); n != 3 {
		t.Errorf("Count(bare) = %d, want 3", n)
	}
	if got := strings.Join(r.Sub("BenchmarkDeviceGet"), " "); got != "BenchmarkDeviceGet/bare BenchmarkDeviceGet/server" {
		t.Errorf("Sub(BenchmarkDeviceGet) = %s", got)
	}
}

func TestParseRejectsTruncatedLines(t *testing.T) {
	for _, in := range []string{
		"BenchmarkX-2   100   5 ns/op   7\n",
		"BenchmarkX-2   100   five ns/op\n",
	} {
		if _, err := bench.Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q) succeeded", in)
		}
	}
}

func TestWriteMarkdown(t *testing.T) {
	r, err := bench.Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := r.WriteMarkdown(&b, bench.Context{Go: "go1.26", Cores: 2, Load: "0.10 0.20 0.30"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Test CPU @ 3.0GHz (linux/amd64, 2 cores), go1.26; load average 0.10 0.20 0.30",
		"| device_get via the MCP server alone (request decoded, reply encoded) / bare client.GetDevice | 1.20 (120 µs / 100 µs) | ≤ 1.25 | yes |",
		"| the least any mcp-go server can reach: (bare + mcp-go alone answering with the same result) / bare | 1.30 (mcp-go: 30 µs) | ≤ 1.25 | **no** |",
		"| device_get via mcp-go's in-process client / bare | 2.00 (300 µs) | ≤ 1.25 | **no** |",
		"| cold start to the tools/list reply, stdio, --sandbox | 25.0 ms | ≤ 30 ms | yes |",
		"| tools/list reply, 20 tools with output schemas | 22,556 B (~5,639 tokens) | ≤ 22,100 B | **no** |",
		"(which opened 100) | 3 | 0 (pool reused) | **no** |",
		"| binary RSS over 10,000 calls (16 HTTP clients) | 19.0 → 20.0 MiB (+5.3%) | ≤ +5% | **no** |",
		"| server | 1 | 150 | 1.25 | 33,812 | 352 |",
		"| device_get | 1,641 | 410 | 159 | 1,196 | 72 |",
		"### Throughput: `tuya-mcp http --sandbox`, device_get over Streamable HTTP, one keep-alive connection per client\n\nNot measured in this run.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add("BenchmarkX-2 1 2 ns/op\n")
	f.Add("Benchmark 1\nBenchmarkY-x 3 4 u\n")
	f.Fuzz(func(t *testing.T, in string) {
		r, err := bench.Parse(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, res := range r.Results {
			if !strings.HasPrefix(res.Name, "Benchmark") || res.Metrics == nil {
				t.Fatalf("bad result %+v from %q", res, in)
			}
		}
		var b strings.Builder
		if err := r.WriteMarkdown(&b, bench.Context{}); err != nil {
			t.Fatal(err)
		}
	})
}
