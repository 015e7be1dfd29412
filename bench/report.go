// Package bench measures tuya-mcp: tool-call overhead, throughput, cold start, context cost,
// network economy and memory. The measurements are `go test -bench` benchmarks in this
// package's test files; this package turns their output into the Markdown report that bench/run
// prints, comparing each figure with its target.
package bench

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Result is one line of `go test -bench` output.
type Result struct {
	// Name is the benchmark's name without the -GOMAXPROCS suffix, such as
	// "BenchmarkDeviceGet/bare".
	Name string
	// Iterations is b.N.
	Iterations int
	// Metrics maps a unit (ns/op, allocs/op, or a b.ReportMetric unit) to its value.
	Metrics map[string]float64
}

// Run is the parsed output of one or more `go test -bench` runs.
type Run struct {
	// CPU, GOOS and GOARCH are from the header go test prints.
	CPU, GOOS, GOARCH string
	Results           []Result
}

// Parse reads `go test -bench` output; lines that are not benchmark results or header fields
// are skipped, so the output of several runs may be concatenated.
func Parse(r io.Reader) (*Run, error) {
	run := &Run{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, "Benchmark") {
			switch k {
			case "cpu":
				run.CPU = strings.TrimSpace(v)
			case "goos":
				run.GOOS = strings.TrimSpace(v)
			case "goarch":
				run.GOARCH = strings.TrimSpace(v)
			}
			continue
		}
		res, ok, err := parseResult(line)
		if err != nil {
			return nil, err
		}
		if ok {
			run.Results = append(run.Results, res)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return run, nil
}

// parseResult parses "BenchmarkX/y-2   123   456 ns/op   7.5 unit ...". A line that starts
// like a result but does not continue like one is an error: a truncated run must not pass for a
// measurement.
func parseResult(line string) (Result, bool, error) {
	f := strings.Fields(line)
	if len(f) < 2 || !strings.HasPrefix(f[0], "Benchmark") {
		return Result{}, false, nil
	}
	n, err := strconv.Atoi(f[1])
	if err != nil {
		// "BenchmarkX-2" alone on a line, or followed by a log line: not a result.
		return Result{}, false, nil
	}
	if len(f)%2 != 0 {
		return Result{}, false, fmt.Errorf("bench: malformed result line %q", line)
	}
	res := Result{Name: trimProcs(f[0]), Iterations: n, Metrics: make(map[string]float64, (len(f)-2)/2)}
	for i := 2; i < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return Result{}, false, fmt.Errorf("bench: malformed value %q in %q", f[i], line)
		}
		res.Metrics[f[i+1]] = v
	}
	return res, true, nil
}

// trimProcs drops the -GOMAXPROCS suffix go test adds when GOMAXPROCS > 1.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}

// Median returns the median of a metric over every result of the named benchmark (one per
// -count), and whether there was any.
func (r *Run) Median(name, unit string) (float64, bool) {
	var vs []float64
	for _, res := range r.Results {
		if v, ok := res.Metrics[unit]; ok && res.Name == name {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return 0, false
	}
	slices.Sort(vs)
	if len(vs)%2 == 1 {
		return vs[len(vs)/2], true
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2, true
}

// Count returns how many results the named benchmark has.
func (r *Run) Count(name string) int {
	n := 0
	for _, res := range r.Results {
		if res.Name == name {
			n++
		}
	}
	return n
}

// Sub returns the names of the sub-benchmarks directly under parent, in first-seen order.
func (r *Run) Sub(parent string) []string {
	var out []string
	for _, res := range r.Results {
		rest, ok := strings.CutPrefix(res.Name, parent+"/")
		if ok && !strings.Contains(rest, "/") && !slices.Contains(out, res.Name) {
			out = append(out, res.Name)
		}
	}
	return out
}
