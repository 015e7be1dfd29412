package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
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

// redisRate is the fleet's budget (GCRA in Redis, github.com/go-redis/redis_rate): every process
// using the same Redis and project shares N per second, with a burst of N, as localRate. GCRA
// books nothing ahead: a refused request is told how long until it may go, and asks again
// then. A call is refused at once when that wait is past its deadline, and with ErrRateBudget
// when its deadline comes while it waits, having sent nothing either way. While Redis fails,
// the process paces itself with a local budget of the same N.
type redisRate struct {
	lim   *redis_rate.Limiter
	key   string
	limit redis_rate.Limit
	local *localRate
	h     health
}

func (r *redisRate) wait(ctx context.Context) (time.Duration, error) {
	var waited time.Duration
	for {
		if r.h.skip() {
			d, err := r.local.wait(ctx)
			return waited + d, err
		}
		res, err := r.lim.Allow(ctx, r.key, r.limit)
		if err != nil {
			if ctx.Err() != nil {
				return waited, budgetEnded(ctx)
			}
			r.h.failed(err)
			d, err := r.local.wait(ctx)
			return waited + d, err
		}
		r.h.ok()
		if res.Allowed > 0 {
			return waited, nil
		}
		d := res.RetryAfter
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
			return waited, ErrRateBudget
		}
		if err := sleep(ctx, d); err != nil {
			return waited, budgetEnded(ctx)
		}
		waited += d
	}
}

// budgetEnded is the error of a call whose context ended while it waited for rate budget: a
// deadline is ErrRateBudget (the call waited its time and sent nothing), a cancellation the
// context's own.
func budgetEnded(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return ErrRateBudget
	}
	return ctx.Err()
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
	if err == nil && ctx.Err() != nil {
		// The budget came as the call's time ran out: nothing can be sent now.
		err = budgetEnded(ctx)
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
		rb = &redisRate{lim: redis_rate.NewLimiter(rdb), key: redisKey(key, "rate"),
			limit: redis_rate.PerSecond(c.cfg.RateLimit), local: local, h: health{c: c, what: "rate"}}
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
