package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// binPath is the tuya-mcp binary built once by TestMain; the tests drive it as users do.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tuya-mcp-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "tuya-mcp")
	build := exec.Command("go", "build", "-o", binPath, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building tuya-mcp:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// procEnv is the whole environment of a child: nothing leaks in from the developer's shell.
func procEnv(extra ...string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH")}, extra...)
}

// demoCloud points the binary at a sandbox with its demo credentials.
func demoCloud(url string) []string {
	return []string{"--endpoint", url, "--access-id", sandbox.DemoAccessID,
		"--access-secret", sandbox.DemoAccessSecret, "--schema", sandbox.DemoSchema}
}

type outcome struct {
	code           int
	stdout, stderr string
}

// runBin runs the binary to completion, with an empty stdin.
func runBin(t *testing.T, env []string, args ...string) outcome {
	t.Helper()
	return runBinInput(t, "", env, args...)
}

// runBinInput runs the binary to completion, with stdin as its input.
func runBinInput(t *testing.T, stdin string, env []string, args ...string) outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, args...)
	cmd.Env = procEnv(env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	o := outcome{stdout: out.String(), stderr: errb.String()}
	switch {
	case errors.As(err, &ee):
		o.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run %q: %v", args, err)
	}
	return o
}

// proc is a long-running child whose stderr is collected line by line.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error // from Wait, once done is closed

	mu    sync.Mutex
	lines []string
}

var listenLine = regexp.MustCompile(`listening on (http://\S+)`)

// startBin starts the binary with an open, silent stdin and kills it at the end of the test.
func startBin(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = procEnv()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.lines = append(p.lines, sc.Text())
			p.mu.Unlock()
		}
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		stdin.Close()
		select {
		case <-p.done:
		default:
			cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("stderr of %q:\n%s", args, p.stderr())
		}
	})
	return p
}

func (p *proc) stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// waitLine waits for a stderr line matching re and returns its submatches.
func (p *proc) waitLine(t *testing.T, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		p.mu.Lock()
		for _, l := range p.lines {
			if m := re.FindStringSubmatch(l); m != nil {
				p.mu.Unlock()
				return m
			}
		}
		p.mu.Unlock()
		select {
		case <-p.done:
			t.Fatalf("exited (%v) before printing %s", p.err, re)
		case <-deadline:
			t.Fatalf("no line matching %s", re)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// url waits for the "listening on URL" line.
func (p *proc) url(t *testing.T) string { return p.waitLine(t, listenLine)[1] }

// stop sends sig and returns the exit status.
func (p *proc) stop(t *testing.T, sig os.Signal) int {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("still running 30s after %v", sig)
	}
	return p.cmd.ProcessState.ExitCode()
}

// startSandbox runs a sandbox in the test process, so that tests can inspect its state.
func startSandbox(t *testing.T, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func TestVersion(t *testing.T) {
	t.Parallel()
	o := runBin(t, nil, "version")
	if o.code != 0 || !regexp.MustCompile(`^tuya-mcp dev \(go1\.\d+`).MatchString(o.stdout) {
		t.Errorf("version: %d %q %q", o.code, o.stdout, o.stderr)
	}

	// A release build sets the version with -ldflags; clients see it in initialize.
	bin := filepath.Join(t.TempDir(), "tuya-mcp")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=v9.8.7", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "tuya-mcp v9.8.7 (go1.") {
		t.Errorf("version: %q %v", out, err)
	}
	c, err := mcpclient.NewStdioMCPClient(bin, procEnv(), "--sandbox")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if v := tooltest.Initialize(t, c, "").ServerInfo.Version; v != "v9.8.7" {
		t.Errorf("serverInfo.version %q", v)
	}
}

func TestUsageAndConfigErrors(t *testing.T) {
	tests := []struct {
		name     string
		env      []string
		args     []string
		wantCode int
		want     []string // in stderr
	}{
		{"missing credentials", nil, nil, 2,
			[]string{"TUYA_ACCESS_ID", "TUYA_ACCESS_SECRET", "TUYA_REGION", "--sandbox"}},
		{"missing credentials over http", nil, []string{"http"}, 2, []string{"TUYA_ACCESS_ID", "--sandbox"}},
		{"bad boolean names the variable", []string{"TUYA_MCP_READ_ONLY=maybe"}, []string{"--sandbox"}, 2,
			[]string{"TUYA_MCP_READ_ONLY"}},
		{"public bind without a token", nil, []string{"http", "--sandbox", "--listen", "0.0.0.0:0"}, 2,
			[]string{"--http-token", "TUYA_MCP_HTTP_TOKEN"}},
		{"unknown toolset", nil, []string{"tools", "--toolsets", "lights"}, 2, []string{"lights"}},
		{"unknown command", nil, []string{"serve"}, 2, []string{"serve"}},
		{"help", nil, []string{"-h"}, 0, []string{"Usage", "tuya-mcp call TOOL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := runBin(t, tt.env, tt.args...)
			if o.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", o.code, tt.wantCode, o.stderr)
			}
			mentions(t, "stderr", o.stderr, tt.want...)
			if o.stdout != "" {
				t.Errorf("stdout is not empty: %q", o.stdout)
			}
		})
	}
}

func TestStdioLifecycle(t *testing.T) {
	t.Run("exits when stdin closes", func(t *testing.T) {
		t.Parallel()
		o := runBin(t, nil, "--sandbox")
		if o.code != 0 || o.stdout != "" {
			t.Errorf("exit %d, stdout %q, stderr:\n%s", o.code, o.stdout, o.stderr)
		}
	})
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run("exits on "+sig.String(), func(t *testing.T) {
			t.Parallel()
			p := startBin(t, "--sandbox") // its stdin stays open: only the signal can end it
			p.waitLine(t, regexp.MustCompile(`serving MCP over stdio`))
			if code := p.stop(t, sig); code != 0 {
				t.Errorf("exit %d after %v", code, sig)
			}
		})
	}
}

func TestGarbageCollectorSetting(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{nil, `"gogc":"200"`},
		{[]string{"GOGC=50"}, `"gogc":"50"`},
		{[]string{"GOGC=off"}, `"gogc":"off"`},
	} {
		t.Run(fmt.Sprint(tc.env), func(t *testing.T) {
			t.Parallel()
			o := runBin(t, tc.env, "--sandbox")
			if o.code != 0 || !strings.Contains(o.stderr, tc.want) {
				t.Errorf("exit %d; want %s in the start-up line, stderr:\n%s", o.code, tc.want, o.stderr)
			}
		})
	}
}

// mentions reports, as test errors, each of want that text, named what, does not contain.
func mentions(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}
