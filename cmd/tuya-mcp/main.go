// Command tuya-mcp is an MCP server for the Tuya Cloud OpenAPI (users, devices, device users),
// with a built-in emulator of the cloud. Run `tuya-mcp help` for the commands; README.md has more.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
)

// version is set at build time: go build -ldflags "-X main.version=v1.2.3".
var version = "dev"

// defaultGCPercent replaces Go's GOGC=100 when GOGC is not set. The server's live heap is 1 to
// 2 MiB, but a dependency's package initialisation (santhosh-tekuri/jsonschema, linked by
// mcp-go) allocates 1.7 MiB of garbage, so at 100 the first collection lands in the middle of
// the MCP handshake (1.5 ms of a 27 ms cold start). At 200 a cold start collects nothing
// before its tools/list reply and a busy server collects half as often, for a few MiB more
// resident memory.
const defaultGCPercent = 200

func main() {
	env := environ(os.Environ())
	if _, set := env["GOGC"]; !set {
		debug.SetGCPercent(defaultGCPercent)
		env["GOGC"] = strconv.Itoa(defaultGCPercent) // as the start-up log line reports it
	}
	os.Exit(run(context.Background(), os.Args[1:], env, os.Stdin, os.Stdout, os.Stderr))
}

// errToolFailed reports that `call` printed an error result: exit status 1, nothing more to say.
var errToolFailed = errors.New("the tool returned an error")

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, env map[string]string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, env)
	var help *helpRequest
	if errors.As(err, &help) {
		fmt.Fprint(stderr, help.usage)
		return 0
	}
	if err != nil {
		return report(stderr, cfg.Command, err)
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first signal starts a graceful stop, a second one kills the process.
		<-ctx.Done()
		stop()
	}()
	log := newLogger(stderr, logLevel(cfg, stderr))

	switch cfg.Command {
	case cmdVersion:
		_, err = fmt.Fprintf(stdout, "tuya-mcp %s (%s)\n", serverVersion(), runtime.Version())
	case cmdStdio:
		err = runStdio(ctx, cfg, log, stdin, stdout)
	case cmdHTTP:
		err = runHTTP(ctx, cfg, log, stderr)
	case cmdTools:
		err = runTools(ctx, cfg, log, stdout)
	case cmdCall:
		err = runCall(ctx, cfg, log, stdin, stdout, stderr)
	case cmdCheck:
		err = runCheck(ctx, cfg, log, stdout)
	case cmdSandbox:
		err = runSandbox(ctx, cfg, log, stderr)
	}
	return report(stderr, cfg.Command, err)
}

// report prints err, if any, and maps it to the exit status: 2 for usage and configuration
// errors, 1 for everything else.
func report(stderr io.Writer, cmd string, err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errToolFailed), errors.Is(err, errCheckFailed):
		return 1
	case errors.As(err, &ue) && !knownCommand(cmd):
		fmt.Fprintf(stderr, "tuya-mcp: %s\nRun 'tuya-mcp help' for the commands.\n", ue.msg)
		return 2
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "tuya-mcp %s: %s\nRun 'tuya-mcp %s -h' for help.\n", cmd, ue.msg, cmd)
		return 2
	default:
		fmt.Fprintf(stderr, "tuya-mcp %s: %v\n", cmd, err)
		return 1
	}
}

// serverVersion is the version reported to clients: the -ldflags value, else the module
// version recorded by `go install module@version`.
func serverVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

func environ(kv []string) map[string]string {
	env := make(map[string]string, len(kv))
	for _, e := range kv {
		if k, v, ok := strings.Cut(e, "="); ok {
			env[k] = v
		}
	}
	return env
}
