package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/internal/metrics"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// Token stores (--token-store).
const (
	storeMemory = "memory"
	storeFile   = "file"
)

// fleet is what a backend shares with the other processes of a cloud project and shows the
// operator: the token store (and budgets in it) and the metrics with their listener.
type fleet struct {
	store   *client.TokenStore
	metrics *metrics.Metrics
	srv     *http.Server
}

// storeCheckTimeout bounds the start-up check of the token store.
const storeCheckTimeout = 3 * time.Second

// openFleet opens the configured token store, checks it, and starts the metrics listener, if
// any. A store that a setting breaks (a path that is not a directory, a wrong Redis password,
// missing rights, no such database, TLS to a plain server) is a usage error; a store that
// does not answer is not: calls use a token of the process until it does.
func openFleet(cfg Config, log zerolog.Logger) (*fleet, error) {
	f := &fleet{}
	spec := cfg.TokenStore
	if cfg.Sandbox {
		// Demos leave nothing behind.
		spec = storeMemory
	}
	if spec == storeFile || spec == storeFile+":" {
		switch {
		case cfg.cacheDir != "":
			spec = "file:" + filepath.Join(cfg.cacheDir, "tuya-mcp")
		case cfg.tokenStoreSet:
			return nil, &usageError{msg: "--token-store file: no cache directory (HOME and XDG_CACHE_HOME are not set); give one: file:DIR"}
		default:
			// Without a cache directory (no HOME), the token stays in the process.
			log.Warn().Msg("no cache directory (HOME and XDG_CACHE_HOME are not set): the access token stays in this " +
				"process, not shared with this machine's other tuya-mcp processes; --token-store file:DIR shares it")
			spec = storeMemory
		}
	}
	from := cfg.tokenStoreFrom
	if from == "" {
		from = fmt.Sprintf("--token-store %q", spec)
	}
	if dir, ok := strings.CutPrefix(spec, "file:"); ok {
		abs, err := storeDir(dir)
		if err != nil {
			return nil, &usageError{msg: from + ": " + err.Error()}
		}
		if abs != dir {
			log.Info().Str("token_store", "file:"+abs).Msgf("token store directory %q taken as %s", dir, abs)
		}
		spec = "file:" + abs
	}
	if strings.HasPrefix(spec, "redis") {
		// go-redis logs dial failures through a package logger; they belong in ours.
		redis.SetLogger(redisLogger{log.With().Str("component", "redis").Logger()})
	}
	st, err := client.OpenTokenStore(spec, client.StoreOptions{Logger: log.With().Str("component", "token-store").Logger()})
	if err != nil {
		return nil, &usageError{msg: from + ": " + strings.TrimPrefix(err.Error(), "client: token store: ")}
	}
	if err := checkStore(st, log); err != nil {
		st.Close()
		return nil, &usageError{msg: from + ": " + err.Error()}
	}
	f.store = st
	if cfg.MetricsListen != "" {
		ln, err := net.Listen("tcp", cfg.MetricsListen)
		if err != nil {
			st.Close()
			return nil, &usageError{msg: fmt.Sprintf("--metrics-listen %q: %s", cfg.MetricsListen, listenProblem(err))}
		}
		f.metrics = metrics.New()
		f.srv = &http.Server{Handler: f.metrics.Handler(), ReadHeaderTimeout: readHeaderTimeout,
			ErrorLog: stdLogger(log, "metrics", zerolog.WarnLevel)}
		go f.srv.Serve(ln)
		ev := log.Info()
		if !isLoopbackListen(cfg.MetricsListen) {
			ev = log.Warn().Str("reachable_from", "other machines (--metrics-allow-remote)")
		}
		ev.Str("metrics_url", "http://"+ln.Addr().String()+"/metrics").Msg("serving Prometheus metrics")
	}
	log.Debug().Str("token_store", st.String()).Int("rate_limit", cfg.RateLimit).Msg("fleet settings")
	return f, nil
}

// checkStore tries the store at start: it returns what a setting breaks, and only logs a
// store that does not answer.
func checkStore(st *client.TokenStore, log zerolog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), storeCheckTimeout)
	defer cancel()
	err := st.Check(ctx)
	var se *client.StoreError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se) && se.Cause == client.StoreConfig:
		return errors.New(se.Problem)
	}
	log.Warn().Err(err).Str("token_store", st.String()).
		Msg("token store unavailable at start: calls use a token of this process until it answers")
	return nil
}

// storeDir is a file store's directory as an absolute path: ~ and ~/... are the home directory.
func storeDir(dir string) (string, error) {
	if rest, ok := strings.CutPrefix(dir, "~"); ok {
		if rest != "" && rest[0] != '/' {
			return "", errors.New("~user is not expanded: give the directory's full path")
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no home directory for ~: %w", err)
		}
		dir = home + rest
	}
	return filepath.Abs(dir)
}

// userCacheDir is os.UserCacheDir read from env rather than the process's environment, or "".
func userCacheDir(env map[string]string) string {
	switch runtime.GOOS {
	case "windows":
		return env["LocalAppData"]
	case "darwin", "ios":
		if h := env["HOME"]; h != "" {
			return filepath.Join(h, "Library", "Caches")
		}
		return ""
	}
	if d := env["XDG_CACHE_HOME"]; filepath.IsAbs(d) {
		return d
	}
	if h := env["HOME"]; h != "" {
		return filepath.Join(h, ".cache")
	}
	return ""
}

// listenProblem is a listen error without the Go operation's words.
func listenProblem(err error) string {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		err = oe.Err
	}
	return err.Error()
}

// apply puts the store, budget and observer into the client's configuration.
func (f *fleet) apply(cfg Config, cc *client.Config) {
	cc.TokenStore, cc.RateLimit = f.store, cfg.RateLimit
	if f.metrics != nil {
		cc.Observer = f.metrics
	}
}

// toolsObserver is the metrics as the tools server's Observer, or nil without metrics.
func (f *fleet) toolsObserver() tools.Observer {
	if f.metrics == nil {
		return nil
	}
	return f.metrics
}

func (f *fleet) close() {
	if f.srv != nil {
		f.srv.Shutdown(context.Background())
	}
	f.store.Close()
}

// redisLogger is go-redis's logger interface over zerolog.
type redisLogger struct{ l zerolog.Logger }

func (r redisLogger) Printf(_ context.Context, format string, v ...any) {
	r.l.Debug().Msg(fmt.Sprintf(format, v...))
}

// checkFleet checks the fleet flags' values (--rate-limit checks its own).
func checkFleet(cfg *Config) error {
	var errs []error
	// An empty store is a command without the flag (it keeps its token in memory).
	s := cfg.TokenStore
	if s != "" && s != storeMemory && s != storeFile && !strings.HasPrefix(s, "file:") &&
		!strings.HasPrefix(s, "redis://") && !strings.HasPrefix(s, "rediss://") {
		errs = append(errs, fmt.Errorf("%s: want memory, file, file:PATH, redis://host:port/db or rediss://host:port/db", cfg.tokenStoreFrom))
	}
	if a := cfg.MetricsListen; a != "" {
		_, port, err := net.SplitHostPort(a)
		if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
			errs = append(errs, fmt.Errorf("--metrics-listen %q: want host:port, such as 127.0.0.1:9464 (port 0 picks a free one)", a))
		} else if !isLoopbackListen(a) && !cfg.MetricsAllowRemote {
			errs = append(errs, fmt.Errorf("refusing to serve metrics on %s, which other machines can reach: the metrics "+
				"have no authentication; listen on 127.0.0.1, or set --metrics-allow-remote", a))
		}
	}
	return errors.Join(errs...)
}

// redactURL hides a URL's password, for messages.
func redactURL(s string) string {
	if i := strings.Index(s, "@"); i >= 0 {
		if j := strings.Index(s, "://"); j >= 0 && j < i {
			return s[:j+3] + "***" + s[i:]
		}
		return "***" + s[i:]
	}
	return s
}
