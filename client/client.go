package client

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/rs/zerolog"
)

// Config configures a Client. AccessID, AccessSecret and Endpoint are required.
type Config struct {
	AccessID     string
	AccessSecret string
	// Endpoint is the base URL: RegionEndpoint(name), the sandbox, or a proxy. A path prefix (a
	// proxy's mount point) is kept on the wire but not signed: the cloud sees the path without it.
	Endpoint string
	// HTTPClient is the pooled client to use; nil means one made by New.
	HTTPClient *http.Client
	// RequestTimeout bounds each HTTP attempt; zero means 10s.
	RequestTimeout time.Duration
	// MaxAttempts bounds attempts per call, retries included; zero means 4.
	MaxAttempts int
	// MaxRateLimited bounds the attempts per call that the cloud refuses for a rate limit
	// (1110, 1199, or HTTP 429 from a proxy). Those do not count in MaxAttempts: nothing ran,
	// and under a busy project's limit a few more tries spread out by the backoff usually get
	// through. Zero means 8.
	MaxRateLimited int
	// RetryBaseDelay and RetryMaxDelay shape the exponential backoff with full jitter between
	// attempts; zero means 100ms and 2s.
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	// RateLimitWindow is the window of the cloud's rate limits: retries after a rate-limit
	// refusal are spread over it, doubling up to 8 windows, rather than spending the project's
	// quota in a burst. Zero means 1s.
	RateLimitWindow time.Duration
	// Now is the clock used for the t header and token lifetimes; nil means time.Now.
	Now    func() time.Time
	Logger zerolog.Logger

	// TokenStore shares the access token with other processes (OpenTokenStore); nil keeps it
	// in this process. A Redis store also shares the rate and retry budgets.
	TokenStore *TokenStore
	// RateLimit paces requests to at most this many per second for the project (the whole
	// fleet's with a Redis store); a call waits for budget within its context's deadline.
	// Zero means no pacing.
	RateLimit int
	// RetryBudget is the size of the project's retry bucket (see the README's "Running several
	// replicas"): a retry takes 5 tokens (10 after no answer), a first-time success gives one
	// back. Zero means DefaultRetryBudget.
	RetryBudget int
	// Observer is told about attempts, retries, tokens and waits, for metrics; nil means none.
	Observer Observer
}

// Defaults applied by New to zero Config fields.
const (
	DefaultRequestTimeout  = 10 * time.Second
	DefaultMaxAttempts     = 4
	DefaultMaxRateLimited  = 8
	DefaultRetryBaseDelay  = 100 * time.Millisecond
	DefaultRetryMaxDelay   = 2 * time.Second
	DefaultRateLimitWindow = time.Second
	DefaultRetryBudget     = 500
)

// Client is a Tuya OpenAPI client. It is safe for concurrent use.
type Client struct {
	cfg Config
	// baseURL is the endpoint, normalised; basePath is its escaped path prefix, which is sent
	// but not signed.
	baseURL, basePath string
	hc                *http.Client
	// ownHC is set when New made hc, so CloseIdleConnections may close its pool.
	ownHC  bool
	tokens tokenSource
	obs    Observer
	// rate is nil without Config.RateLimit; retries is the retry budget.
	rate    rateBudget
	retries retryBudget
}

// New returns a Client for cfg, after checking it and filling in defaults.
func New(cfg Config) (*Client, error) {
	// Credentials pasted with a trailing newline or space are what the user meant; one with a
	// control character inside is not, and would not go into a header.
	cfg.AccessID, cfg.AccessSecret = strings.TrimSpace(cfg.AccessID), strings.TrimSpace(cfg.AccessSecret)
	for _, c := range []struct{ name, v string }{{"AccessID (TUYA_ACCESS_ID)", cfg.AccessID}, {"AccessSecret (TUYA_ACCESS_SECRET)", cfg.AccessSecret}} {
		if i := strings.IndexFunc(c.v, unicode.IsControl); i >= 0 {
			return nil, fmt.Errorf("client: config: %s holds a control character (%U) at byte %d; remove it", c.name, []rune(c.v[i:])[0], i)
		}
	}
	var missing []string
	if cfg.AccessID == "" {
		missing = append(missing, "AccessID")
	}
	if cfg.AccessSecret == "" {
		missing = append(missing, "AccessSecret")
	}
	if strings.TrimSpace(cfg.Endpoint) == "" {
		missing = append(missing, "Endpoint")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("client: config: %s required", strings.Join(missing, ", "))
	}
	base, err := parseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.RequestTimeout < 0 || cfg.MaxAttempts < 0 || cfg.MaxRateLimited < 0 || cfg.RetryBaseDelay < 0 || cfg.RetryMaxDelay < 0 ||
		cfg.RateLimitWindow < 0 || cfg.RateLimit < 0 || cfg.RetryBudget < 0 {
		return nil, errors.New("client: config: RequestTimeout, MaxAttempts, MaxRateLimited, RetryBaseDelay, RetryMaxDelay, RateLimitWindow, RateLimit and RetryBudget must not be negative")
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.MaxRateLimited == 0 {
		cfg.MaxRateLimited = DefaultMaxRateLimited
	}
	if cfg.RetryBaseDelay == 0 {
		cfg.RetryBaseDelay = DefaultRetryBaseDelay
	}
	if cfg.RetryMaxDelay == 0 {
		cfg.RetryMaxDelay = DefaultRetryMaxDelay
	}
	if cfg.RetryBudget == 0 {
		cfg.RetryBudget = DefaultRetryBudget
	}
	if cfg.RateLimitWindow == 0 {
		cfg.RateLimitWindow = DefaultRateLimitWindow
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Client{cfg: cfg, baseURL: base.String(), basePath: base.EscapedPath(), hc: cfg.HTTPClient}
	if c.hc == nil {
		c.hc, c.ownHC = newHTTPClient(), true
	}
	c.obs = cfg.Observer
	if c.obs == nil {
		c.obs = nopObserver{}
	}
	key := storeKey(cfg.AccessID, c.baseURL)
	c.tokens.c, c.tokens.key = c, key
	if cfg.TokenStore != nil {
		c.tokens.store = cfg.TokenStore.b
	}
	c.rate, c.retries = newBudgets(c, key)
	return c, nil
}

// CloseIdleConnections closes the idle keep-alive connections of the pool New made. A
// Config.HTTPClient is left alone: its owner may share it.
func (c *Client) CloseIdleConnections() {
	if c.ownHC {
		c.hc.CloseIdleConnections()
	}
}

// parseEndpoint accepts an absolute http or https URL without query or fragment and drops a
// trailing slash.
func parseEndpoint(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("client: config: Endpoint %q is not a URL: %w", s, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("client: config: Endpoint %q must be an http or https URL with a host", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("client: config: Endpoint %q must not have user info, a query or a fragment", s)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

// newHTTPClient returns a client with its own keep-alive pool. Redirects are not followed: the
// cloud never redirects, and following one would send the signed headers elsewhere.
func newHTTPClient() *http.Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          128,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
