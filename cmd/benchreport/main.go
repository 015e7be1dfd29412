// Command benchreport reads `go test -bench` output of the bench package (files named as
// arguments, or standard input) and prints the Markdown report with its targets.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/tuya-mcp/tuya-mcp/bench"
)

func main() {
	load := flag.String("load", "", "load average when the run started")
	flag.Parse()
	if err := run(flag.Args(), *load, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func run(files []string, load string, stdin io.Reader, stdout io.Writer) error {
	var in io.Reader = stdin
	if len(files) > 0 {
		rs := make([]io.Reader, 0, len(files))
		for _, name := range files {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer f.Close()
			rs = append(rs, f)
		}
		in = io.MultiReader(rs...)
	}
	r, err := bench.Parse(in)
	if err != nil {
		return err
	}
	if len(r.Results) == 0 {
		return fmt.Errorf("no benchmark results in the input")
	}
	return r.WriteMarkdown(stdout, bench.Context{Go: runtime.Version(), Cores: runtime.NumCPU(), Load: load})
}
