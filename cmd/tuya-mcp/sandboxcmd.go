package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// runSandbox serves the cloud emulator until ctx ends, loading and saving its state file.
func runSandbox(ctx context.Context, cfg Config, log zerolog.Logger, stderr io.Writer) error {
	sb := sandbox.New(sandbox.Options{
		AccessID:     cfg.AccessID,
		AccessSecret: cfg.AccessSecret,
		Faults:       cfg.Faults,
		Unsubscribed: cfg.Unsubscribed,
		IPAllowlist:  cfg.IPAllowlist,
		Logger:       log.With().Str("component", "sandbox").Logger(),
	})
	if cfg.StateFile != "" {
		switch _, err := os.Stat(cfg.StateFile); {
		case err == nil:
			if err := sb.LoadFile(cfg.StateFile); err != nil {
				return stateError(cfg.StateFile, err)
			}
			log.Info().Str("file", cfg.StateFile).Msg("state loaded")
		case !errors.Is(err, fs.ErrNotExist):
			return fileError("read the state file", cfg.StateFile, err)
		default:
			// Found out now rather than at shutdown, when the state would be lost.
			if _, err := os.Stat(filepath.Dir(cfg.StateFile)); err != nil {
				return fileError("save the state in", cfg.StateFile, err)
			}
		}
	}

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return listenError(cfg.Listen, err)
	}
	srv := &http.Server{
		Handler:           sb,
		ConnState:         sb.ConnState,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          stdLogger(log, "sandbox", zerolog.WarnLevel),
	}
	fmt.Fprint(stderr, sandboxBanner("http://"+ln.Addr().String(), cfg))
	err = serve(ctx, srv, ln, shutdownSlack+cfg.Faults.Latency+cfg.Faults.LatencyJitter, log)
	if cfg.StateFile != "" {
		if serr := sb.SaveFile(cfg.StateFile); serr != nil {
			return errors.Join(err, fileError("save the state to", cfg.StateFile, serr))
		}
		log.Info().Str("file", cfg.StateFile).Msg("state saved")
	}
	return err
}

// stateError says why the state file could not be loaded: the system's reason, or what is
// wrong with its content, without the sandbox's prefix.
func stateError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fileError("load the state from", path, err)
	}
	return fmt.Errorf("cannot load the state from %s: it is not a state file saved by `tuya-mcp sandbox --state` (%s); "+
		"give a file the sandbox saved, or a path that does not exist yet to start from the demo data", path, stateProblem(err))
}

// stateProblem says what is wrong with a state file's content, in words rather than Go's.
func stateProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "it is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "its JSON text ends too early"
	case errors.As(err, &syn):
		return fmt.Sprintf("it is not JSON text: %s at byte %d", strings.TrimPrefix(syn.Error(), "json: "), syn.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Sprintf("its field %s holds a JSON %s, not what a state file of this version has there", typ.Field, typ.Value)
	case errors.As(err, &typ):
		return fmt.Sprintf("it holds a JSON %s, not an object", typ.Value)
	}
	if inner := errors.Unwrap(err); inner != nil {
		err = inner
	}
	var unknown string
	if _, serr := fmt.Sscanf(err.Error(), "json: unknown field %q", &unknown); serr == nil {
		return fmt.Sprintf("it has a field %q that a state file of this version does not have", unknown)
	}
	// The sandbox's own check of the content, already in words.
	return err.Error()
}

// sandboxBanner tells how to reach the sandbox. The demo secret is public and printed; a
// secret given on the command line is not repeated.
func sandboxBanner(url string, cfg Config) string {
	secret := cfg.AccessSecret
	if secret != sandbox.DemoAccessSecret {
		secret = strings.Repeat("*", 8) + " (as given by --access-secret)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "sandbox listening on %s\n", url)
	fmt.Fprintf(&b, "  access id:     %s\n", cfg.AccessID)
	fmt.Fprintf(&b, "  access secret: %s\n", secret)
	fmt.Fprintf(&b, "  app schema:    %s\n", sandbox.DemoSchema)
	if cfg.AccessSecret != sandbox.DemoAccessSecret {
		secret = "'<the secret you gave>'" // to replace before pasting
	}
	fmt.Fprintf(&b, "Serve MCP on it with:\n  TUYA_ENDPOINT=%s TUYA_ACCESS_ID=%s TUYA_ACCESS_SECRET=%s TUYA_APP_SCHEMA=%s %s\n",
		url, shellQuote(cfg.AccessID), secret, sandbox.DemoSchema, runCommand(programName(), os.Getenv("GOCACHE")))
	return b.String()
}

// runCommand is how to start this program again: its name, or `go run ./cmd/tuya-mcp` when it
// is a binary `go run` built in the build cache (gocache) or a go-build temporary directory.
func runCommand(program, gocache string) string {
	if strings.Contains(program, "/go-build") || (gocache != "" && strings.HasPrefix(program, gocache+"/")) {
		return "go run ./cmd/tuya-mcp"
	}
	return program
}

// projectAccessFlags set what the sandbox's project refuses: unsubscribed API services and
// addresses outside its IP allowlist.
func (b *binder) projectAccessFlags(cfg *Config) {
	b.fs.Func("unsubscribed", "answer calls under this `path` prefix (such as /v1.0/devices) with 28841106, "+
		"as for an API service the project is not subscribed to; repeatable. Token grants (/v1.0/token) are never refused: "+
		"the cloud grants tokens to a project whatever it subscribes to", func(s string) error {
		if !strings.HasPrefix(s, "/") {
			return errors.New("not a path prefix such as /v1.0/devices")
		}
		cfg.Unsubscribed = append(cfg.Unsubscribed, s)
		return nil
	})
	b.fs.Func("ip-allowlist", "answer requests from outside these comma-separated `CIDRs` (such as 10.0.0.0/8) "+
		"with 1114, as the project's IP allowlist does; repeatable", func(s string) error {
		for _, c := range splitList(s) {
			p, err := netip.ParsePrefix(c)
			if err != nil {
				return fmt.Errorf("%s is not a CIDR such as 10.0.0.0/8 or 2001:db8::/32", c)
			}
			cfg.IPAllowlist = append(cfg.IPAllowlist, p)
		}
		return nil
	})
}
