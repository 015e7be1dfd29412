package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"

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

// openFleet opens the configured token store and starts the metrics listener, if any.
func openFleet(cfg Config, log zerolog.Logger) (*fleet, error) {
	f := &fleet{}
	spec := cfg.TokenStore
	if cfg.Sandbox {
		// Demos leave nothing behind.
		spec = storeMemory
	}
	if spec == storeFile && !cfg.tokenStoreSet {
		// The default: without a cache directory (no HOME), the token stays in the process.
		if _, err := os.UserCacheDir(); err != nil {
			log.Debug().Err(err).Msg("no cache directory: the access token stays in this process")
			spec = storeMemory
		}
	}
	if strings.HasPrefix(spec, "redis") {
		// go-redis logs dial failures through a package logger; they belong in ours.
		redis.SetLogger(redisLogger{log.With().Str("component", "redis").Logger()})
	}
	st, err := client.OpenTokenStore(spec, client.StoreOptions{Logger: log.With().Str("component", "token-store").Logger()})
	if err != nil {
		return nil, &usageError{msg: "--token-store: " + strings.TrimPrefix(err.Error(), "client: token store: ")}
	}
	f.store = st
	if cfg.MetricsListen != "" {
		ln, err := net.Listen("tcp", cfg.MetricsListen)
		if err != nil {
			st.Close()
			return nil, fmt.Errorf("--metrics-listen: %w", err)
		}
		f.metrics = metrics.New()
		f.srv = &http.Server{Handler: f.metrics.Handler(), ReadHeaderTimeout: readHeaderTimeout,
			ErrorLog: stdLogger(log, "metrics", zerolog.WarnLevel)}
		go f.srv.Serve(ln)
		log.Info().Str("metrics_url", "http://"+ln.Addr().String()+"/metrics").Msg("serving Prometheus metrics")
	}
	log.Debug().Str("token_store", st.String()).Int("rate_limit", cfg.RateLimit).Msg("fleet settings")
	return f, nil
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

// checkFleet checks the fleet flags' values.
func checkFleet(cfg *Config) error {
	var errs []error
	if cfg.RateLimit < 0 {
		errs = append(errs, fmt.Errorf("--rate-limit must not be negative (got %d)", cfg.RateLimit))
	}
	// An empty store is a command without the flag (it keeps its token in memory).
	s := cfg.TokenStore
	if s != "" && s != storeMemory && s != storeFile && !strings.HasPrefix(s, "file:") &&
		!strings.HasPrefix(s, "redis://") && !strings.HasPrefix(s, "rediss://") {
		errs = append(errs, fmt.Errorf("--token-store %q: want memory, file, file:PATH, redis://host:port/db or rediss://host:port/db", redactURL(s)))
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
