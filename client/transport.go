package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// maxBody bounds the answer read per attempt; the largest documented page is far smaller.
const maxBody = 16 << 20

// tokenPathPrefix marks the token calls, which are signed without an access token.
const tokenPathPrefix = "/v1.0/token"

// do runs a business or token call and records it in the context's CallInfo, if any.
func (c *Client) do(ctx context.Context, o op, out any) error {
	return c.run(ctx, o, out, callInfoFrom(ctx))
}

// attempt is what one HTTP exchange produced.
type attempt struct {
	status int
	code   int
	tid    string
	// err is nil on a success envelope.
	err error
	// notes say what of a success envelope's result had to be left out (see decodeResult).
	notes []string
	// network is set when err is a transport failure rather than an answer.
	network bool
	// sent is set once any byte of the request may have been written: from then on the cloud
	// may have run the operation.
	sent bool
	dur  time.Duration
	// retryAfter is the wait the answer's Retry-After header asked for, 0 without one.
	retryAfter time.Duration
}

// run signs, sends and decodes o, retrying as the op allows, until success, a final failure,
// the attempt budget or the end of ctx. Token calls made on the way are not recorded in ci.
func (c *Client) run(ctx context.Context, o op, out any, ci *CallInfo) error {
	var body []byte
	if o.body != nil {
		b, err := json.Marshal(o.body)
		if err != nil {
			return fmt.Errorf("client: %s %s: encode body: %w", o.method, o.route, err)
		}
		body = b
	}
	tokenCall := isTokenPath(o.path)
	renewed := false
	// limited counts the attempts refused for a rate limit, which have a budget of their own.
	limited := 0
	// uncertain is set once a failed attempt may have carried the operation out.
	uncertain := false
	// spent is what the call's retries took from the retry budget, given back on success.
	spent := 0
	start := time.Now()
	for n := 1; ; n++ {
		var tok string
		if !tokenCall {
			t, err := c.tokens.get(ctx)
			if err != nil {
				ci.note(err)
				return err
			}
			tok = t
		}
		if err := c.waitRate(ctx, o); err != nil {
			ci.note(err)
			return err
		}
		a := c.send(ctx, o, body, tok, out)
		ci.record(a.tid, a.code)
		c.settle(a, spent)
		c.logAttempt(o, n, a)
		if a.err == nil {
			ci.addNotes(a.notes)
			for _, n := range a.notes {
				c.cfg.Logger.Warn().Str("method", o.method).Str("route", o.route).Str("tid", a.tid).Str("note", n).
					Msg("tuya call: a value of the answer was left out")
			}
			return nil
		}
		if a.network && ctx.Err() != nil {
			// The caller gave up mid-attempt; a.err already wraps ctx.Err().
			return final(o, a, uncertain, n, time.Since(start))
		}
		// A 1010 answer means the call was refused before it ran, so even a non-idempotent
		// call may be repeated once with a new token. It costs no retry budget: the cloud is
		// well, the token was not.
		if !tokenCall && !renewed && a.code == CodeTokenInvalid {
			renewed = true
			c.tokens.invalidate(ctx, tok)
			c.obs.Retry(RetryTokenInvalid)
			c.cfg.Logger.Warn().Str("method", o.method).Str("route", o.route).Str("tid", a.tid).
				Msg("tuya call: access token refused; getting a new one and retrying once")
			continue
		}
		var d time.Duration
		reason := RetryServerError
		if rateLimited(a) {
			// A refusal made before the operation ran: retried for every op, on its own budget,
			// spread over the limit's window.
			limited++
			if limited >= c.cfg.MaxRateLimited {
				return final(o, a, uncertain, n, time.Since(start))
			}
			d, reason = c.rateBackoff(limited), RetryRateLimit
			if a.retryAfter > 0 {
				d = a.retryAfter
			}
			if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
				// Waiting as asked would outlast the call: the refusal is the answer.
				return final(o, a, uncertain, n, time.Since(start))
			}
		} else {
			budget := n - limited
			if renewed {
				budget--
			}
			if !retryable(o, a) || budget >= c.cfg.MaxAttempts {
				return final(o, a, uncertain, n, time.Since(start))
			}
			uncertain = uncertain || mayHaveRun(a)
			d = max(c.backoff(budget), a.retryAfter)
			if dl, ok := ctx.Deadline(); ok && a.retryAfter > 0 && time.Until(dl) < d {
				// A 503 asking for a wait the call does not have: its answer is final.
				return final(o, a, uncertain, n, time.Since(start))
			}
			if a.network {
				reason = RetryNetwork
			}
		}
		cost := retryCost
		if a.network {
			cost = retryTimeoutCost
		}
		if !c.retries.withdraw(ctx, cost) {
			c.obs.RetryBudgetEmpty()
			c.cfg.Logger.Warn().Str("method", o.method).Str("route", o.route).Int("attempt", n).Err(a.err).
				Msg("tuya call: not retried: the project's retry budget is spent (the cloud keeps failing)")
			return final(o, a, uncertain, n, time.Since(start))
		}
		spent += cost
		c.obs.Retry(reason)
		c.cfg.Logger.Warn().Str("method", o.method).Str("route", o.route).Int("attempt", n).
			Dur("backoff_ms", d).Err(a.err).Msg("tuya call: retrying")
		if err := sleep(ctx, d); err != nil {
			return fmt.Errorf("client: %s %s: gave up waiting to retry after %d attempts (last error: %v): %w",
				o.method, o.route, n, a.err, err)
		}
	}
}

// settle reports an attempt to the observer; a success gives the retry budget back what the
// call's retries took from it, or one token for a success at the first try.
func (c *Client) settle(a attempt, spent int) {
	c.obs.Attempt(a.status, a.code)
	if a.err == nil {
		c.retries.deposit(max(spent, 1))
	}
}

// rateLimited reports whether the cloud (1110, 1199, unless its message says otherwise) or a
// proxy (HTTP 429) refused the attempt for a rate limit.
func rateLimited(a attempt) bool {
	if a.status == http.StatusTooManyRequests {
		return true
	}
	var ae *APIError
	return errors.As(a.err, &ae) && ae.RateLimited()
}

// retryAfter reads a Retry-After header: delay seconds or an HTTP date. It returns 0 for an
// absent, malformed or past value.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if n, err := strconv.ParseInt(h, 10, 64); err == nil {
		if n <= 0 || n > int64(24*time.Hour/time.Second) {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// retryable reports whether a failed attempt other than a rate-limit refusal may be repeated:
// for idempotent ops (network failures, HTTP 5xx and 408, system errors), or when the request
// never left the client. A Retry-After on the answer is waited, as for a rate limit.
func retryable(o op, a attempt) bool {
	if !o.idempotent {
		return a.network && !a.sent
	}
	return a.network || a.status >= 500 || a.status == http.StatusRequestTimeout || a.code == CodeSystemError || a.code == CodeSystemBusy
}

// final returns the error of the last attempt. For a non-idempotent op that may have reached the
// cloud without a definite answer, the error says that the outcome is unknown. A failure
// envelope is marked when an earlier attempt (uncertain) may have carried the operation out.
// A request that got no answer says how many attempts over how long.
func final(o op, a attempt, uncertain bool, attempts int, elapsed time.Duration) error {
	var ae *APIError
	if uncertain && errors.As(a.err, &ae) {
		ae.AfterUncertainAttempt = true
	}
	var na *NoAnswerError
	if errors.As(a.err, &na) {
		na.Attempts, na.Elapsed = attempts, elapsed
	}
	if o.idempotent || !mayHaveRun(a) {
		return a.err
	}
	return &outcomeUnknownError{method: o.method, route: o.route, err: a.err}
}

// mayHaveRun reports whether a failed attempt may have carried the operation out: it was sent,
// and neither a rate-limit refusal nor a failure envelope says for sure that it did not run. System errors (500,
// 1111) may come after the operation ran.
func mayHaveRun(a attempt) bool {
	if !a.sent || rateLimited(a) {
		// A rate-limit refusal (HTTP 429, 1110, 1199) comes before the operation runs.
		return false
	}
	var ae *APIError
	return !(errors.As(a.err, &ae) && ae.Code != CodeSystemError && ae.Code != CodeSystemBusy)
}

// outcomeUnknownError wraps both ErrOutcomeUnknown and the failure that caused it.
type outcomeUnknownError struct {
	method, route string
	err           error
}

func (e *outcomeUnknownError) Error() string {
	return fmt.Sprintf("client: %s %s: %v; it was not retried so as not to run it twice: %v", e.method, e.route, ErrOutcomeUnknown, e.err)
}

func (e *outcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.err} }

// backoff returns the delay before retry n (1-based): exponential with full jitter.
func (c *Client) backoff(n int) time.Duration {
	ceil := c.cfg.RetryMaxDelay
	if n < 31 {
		if d := c.cfg.RetryBaseDelay << (n - 1); d > 0 && d < ceil {
			ceil = d
		}
	}
	return rand.N(ceil + 1)
}

// rateBackoff returns the delay before the n-th retry (1-based) after a rate-limit refusal:
// between half and all of the window for the first, between one and two windows after, so that
// the retries land in later windows of the limit instead of the one that refused, and the
// MaxRateLimited attempts (7 to 13 s at the default 1s window) fit in a call's time limit.
func (c *Client) rateBackoff(n int) time.Duration {
	ceil := c.cfg.RateLimitWindow << min(n-1, 1)
	return ceil/2 + rand.N(ceil/2+1)
}

// sleep waits for d or the end of ctx.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// send makes one signed HTTP attempt under its own timeout. A success envelope's result is
// decoded into out.
func (c *Client) send(ctx context.Context, o op, body []byte, tok string, out any) attempt {
	start := time.Now()
	a := c.exchange(ctx, o, body, tok, out)
	a.dur = time.Since(start)
	var na *NoAnswerError
	if errors.As(a.err, &na) {
		na.Waited = a.dur
	}
	return a
}

func (c *Client) exchange(ctx context.Context, o op, body []byte, tok string, out any) attempt {
	actx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	var sent atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		WroteHeaders: func() { sent.Store(true) },
	})
	req, signedPath, err := c.newRequest(actx, o, body)
	if err != nil {
		return attempt{err: err}
	}
	t := strconv.FormatInt(c.cfg.Now().UnixMilli(), 10)
	nonce := newNonce()
	// Lower-case names, set directly, go on the wire exactly as the protocol page spells them.
	h := req.Header
	h["client_id"] = []string{c.cfg.AccessID}
	h["t"] = []string{t}
	h["sign_method"] = []string{"HMAC-SHA256"}
	h["nonce"] = []string{nonce}
	if tok != "" {
		h["access_token"] = []string{tok}
	}
	h["sign"] = []string{sign(c.cfg.AccessSecret, c.cfg.AccessID, tok, t, nonce,
		stringToSign(o.method, body, signedPath, o.query))}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}

	resp, err := c.hc.Do(req)
	if err != nil {
		return attempt{err: c.netErr(ctx, o, err), network: true, sent: sent.Load()}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return attempt{status: resp.StatusCode, err: c.netErr(ctx, o, err), network: true, sent: true}
	}
	a := attempt{status: resp.StatusCode, sent: true, retryAfter: retryAfter(resp.Header.Get("Retry-After"), c.cfg.Now())}
	ct := resp.Header.Get("Content-Type")
	if ct == "" && len(data) > 0 {
		ct = http.DetectContentType(data)
	}
	httpErr := func(reason string) *HTTPError {
		return &HTTPError{StatusCode: resp.StatusCode, Reason: reason, Method: o.method, Path: o.route,
			ContentType: ct, Location: resp.Header.Get("Location"),
			TokenRequest: isTokenPath(o.path), RetryAfter: a.retryAfter}
	}
	if len(data) > maxBody {
		a.err = httpErr(fmt.Sprintf("the answer is larger than %d bytes", maxBody))
		return a
	}
	// A gateway's 502 or 503 can carry the cloud's own envelope: it is read whatever the status.
	env, notes, err := parseEnvelope(data, out)
	switch {
	case err != nil && resp.StatusCode != http.StatusOK:
		a.err = httpErr("the answer is not a Tuya envelope")
	case err != nil:
		a.err = httpErr(err.Error())
	case env.Success:
		a.tid = env.Tid
		a.notes = notes
	default:
		a.tid, a.code = env.Tid, env.Code
		ae := &APIError{Code: env.Code, NoCode: !env.HasCode, Msg: env.Msg, Tid: env.Tid, Method: o.method, Path: o.route,
			TokenRequest: isTokenPath(o.path)}
		if resp.StatusCode != http.StatusOK {
			ae.HTTPStatus = resp.StatusCode
		}
		a.err = ae
	}
	return a
}

// newRequest builds the request for o and returns the path to sign: the escaped path as sent,
// without the endpoint's own path prefix.
func (c *Client) newRequest(ctx context.Context, o op, body []byte) (*http.Request, string, error) {
	target := c.baseURL + o.path
	if q := o.query.Encode(); q != "" {
		target += "?" + q
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, o.method, target, rd)
	if err != nil {
		return nil, "", fmt.Errorf("client: %s %s: build request: %w", o.method, o.route, err)
	}
	return req, strings.TrimPrefix(req.URL.EscapedPath(), c.basePath), nil
}

// netErr names a transport failure by route. *url.Error is unwrapped because its message holds
// the URL, which for a token refresh contains the refresh token.
func (c *Client) netErr(ctx context.Context, o op, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if ctx.Err() != nil {
		// The call's own limit or cancellation, not the attempt's: Err is ctx.Err().
		return &NoAnswerError{Method: o.method, Path: o.route, TokenRequest: isTokenPath(o.path), Err: ctx.Err()}
	}
	return &NoAnswerError{Method: o.method, Path: o.route, TokenRequest: isTokenPath(o.path),
		TimedOut: errors.Is(err, context.DeadlineExceeded), Limit: c.cfg.RequestTimeout, Err: err}
}

// isTokenPath reports whether a request path is one of the token calls.
func isTokenPath(path string) bool {
	return strings.HasPrefix(path, tokenPathPrefix)
}

// logAttempt writes the one debug line per attempt. It never logs headers or bodies.
func (c *Client) logAttempt(o op, n int, a attempt) {
	ev := c.cfg.Logger.Debug()
	if !ev.Enabled() {
		return
	}
	ev.Str("method", o.method).Str("route", o.route).Int("status", a.status).Int("code", a.code).
		Str("tid", a.tid).Int("attempt", n).Dur("duration_ms", a.dur)
	if a.err != nil {
		ev = ev.Err(a.err)
	}
	ev.Msg("tuya call")
}
