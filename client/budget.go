package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"
)

// ErrRateBudget is wrapped by the error of a call that could not get rate budget
// (Config.RateLimit) before its deadline. Nothing was sent.
var ErrRateBudget = errors.New("no rate budget before the call's deadline")

// rateBudget paces the requests of a project: wait returns once one request may be sent, with
// the time it waited for budget, or an error (ErrRateBudget or the context's) without waiting
// in vain past the context's deadline.
type rateBudget interface {
	wait(ctx context.Context) (time.Duration, error)
}

// localRate is the budget of one process: a token bucket of N per second with a burst of N.
type localRate struct{ lim *rate.Limiter }

func newLocalRate(n int) *localRate { return &localRate{lim: rate.NewLimiter(rate.Limit(n), n)} }

func (l *localRate) wait(ctx context.Context) (time.Duration, error) {
	r := l.lim.Reserve()
	d := r.Delay()
	if d == 0 {
		return 0, nil
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		r.Cancel()
		return 0, ErrRateBudget
	}
	if err := sleep(ctx, d); err != nil {
		r.Cancel()
		return d, err
	}
	return d, nil
}

// redisRate is the fleet's budget: every process using the same Redis and project shares N per
// second, with a burst of N, as localRate. Like rate.Limiter's Reserve, rateScript books the
// next free slot, so that a call learns at once how long it waits, and is refused at once when
// that is past its deadline (nothing is booked then). While Redis fails, the process paces
// itself with a local budget of the same N.
type redisRate struct {
	rdb   *redis.Client
	key   string
	n     int
	local *localRate
	h     health
}

// rateScript is GCRA with reservations. The key holds the theoretical arrival time (TAT) in
// microseconds of the server's clock; a request at now is due at max(TAT, now) + interval and
// may go at that time less the burst's span. ARGV: interval and the longest wait the caller
// accepts (-1: any), in microseconds; burst. Returns the wait in microseconds, or -1 with the
// wait that would have been needed when that is too long.
var rateScript = redis.NewScript(`
local interval, maxwait, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now)
local due = tat + interval
local wait = math.max(0, due - now - burst * interval)
if maxwait >= 0 and wait > maxwait then
  return {-1, wait}
end
redis.call('SET', KEYS[1], due, 'PX', math.ceil((due - now) / 1000) + 1000)
return {wait, wait}`)

func (r *redisRate) wait(ctx context.Context) (time.Duration, error) {
	if r.h.skip() {
		return r.local.wait(ctx)
	}
	maxWait := int64(-1)
	if dl, ok := ctx.Deadline(); ok {
		maxWait = max(0, time.Until(dl).Microseconds())
	}
	res, err := rateScript.Run(ctx, r.rdb, []string{r.key}, time.Second.Microseconds()/int64(r.n), maxWait, r.n).Int64Slice()
	if err != nil || len(res) != 2 {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if err == nil {
			err = fmt.Errorf("rate script: unexpected answer %v", res)
		}
		r.h.failed(err)
		return r.local.wait(ctx)
	}
	r.h.ok()
	if res[0] < 0 {
		return 0, ErrRateBudget
	}
	d := time.Duration(res[0]) * time.Microsecond
	if err := sleep(ctx, d); err != nil {
		return d, err
	}
	return d, nil
}

// waitRate takes rate budget for one request of o and reports the wait.
func (c *Client) waitRate(ctx context.Context, o op) error {
	if c.rate == nil {
		return nil
	}
	d, err := c.rate.wait(ctx)
	if d > 0 {
		c.obs.RateWait(d)
	}
	if err != nil {
		return fmt.Errorf("client: %s %s: waited for the rate budget of %d calls per second; nothing was sent: %w",
			o.method, o.route, c.cfg.RateLimit, err)
	}
	return nil
}

// Retry budget, as the AWS SDKs' standard retry mode: a bucket of Config.RetryBudget tokens
// (DefaultRetryBudget) per project; a retry takes retryCost (retryTimeoutCost after an attempt that got no answer), a
// call that succeeds without retrying gives one back, and a retry that succeeds gives back
// what it took. An empty bucket means no retry: during an outage the cloud sees about one
// request per call instead of four.
const (
	retryCost        = 5
	retryTimeoutCost = 10
)

// retryBudget is the bucket. withdraw takes cost tokens if there are that many; deposit gives
// tokens back.
type retryBudget interface {
	withdraw(ctx context.Context, cost int) bool
	deposit(n int)
}

// localRetry is the bucket of one process.
type localRetry struct {
	mu          sync.Mutex
	tokens, cap int
}

func newLocalRetry(capacity int) *localRetry { return &localRetry{tokens: capacity, cap: capacity} }

func (l *localRetry) withdraw(_ context.Context, cost int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tokens < cost {
		return false
	}
	l.tokens -= cost
	return true
}

func (l *localRetry) deposit(n int) {
	l.mu.Lock()
	l.tokens = min(l.cap, l.tokens+n)
	l.mu.Unlock()
}

// redisRetry is the fleet's bucket in Redis. Deposits are added up in the process and sent
// with the next withdrawal, so that a call that needs no retry makes no round trip for it.
// While Redis fails, the process uses a bucket of its own.
type redisRetry struct {
	rdb     *redis.Client
	key     string
	mu      sync.Mutex
	pending int
	local   *localRetry
	h       health
}

// retryScript adds the pending deposits (up to the capacity), then takes the cost if the
// bucket holds it. An absent bucket is full. The bucket expires after an hour unused.
var retryScript = redis.NewScript(`
local cap, dep, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local v = tonumber(redis.call('GET', KEYS[1]) or cap)
v = math.min(cap, v + dep)
local ok = 0
if v >= cost then v = v - cost; ok = 1 end
redis.call('SET', KEYS[1], v, 'EX', 3600)
return ok`)

func (r *redisRetry) withdraw(ctx context.Context, cost int) bool {
	if r.h.skip() {
		return r.local.withdraw(ctx, cost)
	}
	r.mu.Lock()
	dep := r.pending
	r.pending = 0
	r.mu.Unlock()
	ok, err := retryScript.Run(ctx, r.rdb, []string{r.key}, r.local.cap, dep, cost).Int()
	if err != nil {
		r.mu.Lock()
		r.pending = min(r.local.cap, r.pending+dep)
		r.mu.Unlock()
		if ctx.Err() == nil {
			r.h.failed(err)
		}
		return r.local.withdraw(ctx, cost)
	}
	r.h.ok()
	return ok == 1
}

func (r *redisRetry) deposit(n int) {
	r.mu.Lock()
	r.pending = min(r.local.cap, r.pending+n)
	r.mu.Unlock()
	r.local.deposit(n)
}

// newBudgets returns the rate budget (nil without Config.RateLimit) and the retry budget of c:
// shared through Redis when the token store is Redis, else the process's own.
func newBudgets(c *Client, key string) (rateBudget, retryBudget) {
	var rb rateBudget
	var local *localRate
	if n := c.cfg.RateLimit; n > 0 {
		local = newLocalRate(n)
		rb = local
	}
	if c.cfg.TokenStore == nil || c.cfg.TokenStore.redis == nil {
		return rb, newLocalRetry(c.cfg.RetryBudget)
	}
	rdb := c.cfg.TokenStore.redis.rdb
	if rb != nil {
		rb = &redisRate{rdb: rdb, key: redisKey(key, "rate-gcra"), n: c.cfg.RateLimit, local: local, h: health{c: c, what: "rate"}}
	}
	return rb, &redisRetry{rdb: rdb, key: redisKey(key, "retry-budget"), local: newLocalRetry(c.cfg.RetryBudget), h: health{c: c, what: "retry"}}
}

// health remembers that Redis failed a shared budget, so that for storeRetryInterval the
// requests use the process's own budget at once instead of each waiting for Redis; and it
// logs the changes, not every failure.
type health struct {
	c    *Client
	what string // rate or retry, the op of Observer.TokenStoreError
	mu   sync.Mutex
	down bool
	// until is when to try Redis again.
	until time.Time
}

func (h *health) skip() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.down && time.Now().Before(h.until)
}

func (h *health) failed(err error) {
	cause := StoreOutage
	if redisConfigProblem(err) != "" {
		cause = StoreConfig
	}
	h.c.obs.TokenStoreError(h.what, cause)
	h.mu.Lock()
	was := h.down
	h.down, h.until = true, time.Now().Add(storeRetryInterval)
	h.mu.Unlock()
	if !was {
		h.c.cfg.Logger.Warn().Err(err).Str("budget", h.what).Str("cause", cause).Msg("shared budget unavailable: this process uses its own until Redis is back")
	}
}

func (h *health) ok() {
	h.mu.Lock()
	was := h.down
	h.down = false
	h.mu.Unlock()
	if was {
		h.c.cfg.Logger.Info().Str("budget", h.what).Msg("shared budget available again")
	}
}
