package client

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// budgetKinds are the two ways a budget is kept: in the process, or in Redis for the fleet.
func budgetKinds() []storeKind {
	return []storeKind{
		{name: "process", open: func(*testing.T, zerolog.Logger) *TokenStore { return nil }},
		redisKind(),
	}
}

// TestRateBudget: processes sharing a budget of N per second together stay under a cloud limit
// a little above N, so the cloud refuses nothing; a call that cannot get budget before its
// deadline fails at once with ErrRateBudget, having sent nothing.
func TestRateBudget(t *testing.T) {
	for _, kind := range budgetKinds() {
		t.Run(kind.name, func(t *testing.T) {
			store := kind.open(t, zerolog.Nop())
			procs := 3
			if store == nil {
				procs = 1 // a per-process budget only holds one process to N
			}
			srv, err := sandbox.Start(sandbox.Options{Faults: sandbox.Faults{QPS: 30}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			obs := newCountingObserver()
			cs := replicas(t, srv, procs, func(c *Config) { c.TokenStore, c.RateLimit, c.Observer = store, 25, obs })
			// Over the cloud's burst of 30 and a second's worth of its rate.
			if errs := callAll(t, cs, 75/procs); len(errs) > 0 {
				t.Fatalf("%d calls failed, first: %v", len(errs), errs[0])
			}
			// Without the budget the cloud refuses most of those above its burst of 30; with it none, or the odd
			// one when the machine stalls a request between its budget and its arrival.
			st := srv.Stats()
			if st.RateLimited > 3 {
				t.Fatalf("the cloud refused %d requests for its rate limit", st.RateLimited)
			}
			if obs.rateWaits == 0 {
				t.Fatal("no wait for the rate budget reported")
			}

			// More calls than the burst, with no time to wait: the ones without budget fail
			// at once and send nothing.
			before := srv.Stats().Requests
			var mu sync.Mutex
			var ok, refused int
			var wg sync.WaitGroup
			for range 40 {
				wg.Go(func() {
					ctx, cancel := context.WithTimeout(bg(t), 5*time.Millisecond)
					defer cancel()
					_, err := cs[0].GetDevice(ctx, sandbox.DemoStripID)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case errors.Is(err, ErrRateBudget):
						refused++
					case err == nil, errors.Is(err, context.DeadlineExceeded):
						// Got budget, and then the answer came in time or not.
						ok++
					default:
						t.Errorf("err = %v, want success or ErrRateBudget", err)
					}
				})
			}
			wg.Wait()
			if refused == 0 {
				t.Fatal("no call was refused for want of budget")
			}
			if sent := srv.Stats().Requests - before; sent > int64(ok) {
				t.Fatalf("%d requests for %d calls that got budget", sent, ok)
			}
		})
	}
}

// TestRetryBudget: with 32 callers and a cloud answering only 500s, once the retry budget is
// spent the cloud sees about one request per call; calls recover as soon as the cloud does.
func TestRetryBudget(t *testing.T) {
	for _, kind := range budgetKinds() {
		t.Run(kind.name, func(t *testing.T) {
			store := kind.open(t, zerolog.Nop())
			srv, err := sandbox.Start(sandbox.Options{Faults: sandbox.Faults{FailRate: 1, Seed: 5}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			obs := newCountingObserver()
			cs := replicas(t, srv, 2, func(c *Config) {
				c.TokenStore, c.Observer, c.RetryBaseDelay, c.RetryMaxDelay = store, obs, time.Millisecond, time.Millisecond
			})
			const callers = 32
			requests := func() int64 { return srv.Stats().ByRoute["GET /v1.0/devices/{device_id}"] }
			run := func(rounds int) (fails int) {
				var mu sync.Mutex
				var wg sync.WaitGroup
				for i := range callers {
					wg.Go(func() {
						for range rounds {
							if _, err := cs[i%2].GetDevice(bg(t), sandbox.DemoStripID); err != nil {
								mu.Lock()
								fails++
								mu.Unlock()
							}
						}
					})
				}
				wg.Wait()
				return fails
			}
			// Spend the budget: 500 tokens at 5 a retry.
			for obs.budgetEmpty() == 0 {
				run(2)
			}
			before := requests()
			const rounds = 5
			if fails := run(rounds); fails != callers*rounds {
				t.Fatalf("%d of %d calls failed against a cloud that only fails", fails, callers*rounds)
			}
			perCall := float64(requests()-before) / (callers * rounds)
			t.Logf("%.2f requests per call once the budget is spent", perCall)
			if perCall > 1.2 {
				t.Fatalf("%.2f requests per call during the outage, want at most 1.2", perCall)
			}
			srv.SetFaults(sandbox.Faults{})
			before = requests()
			if fails := run(1); fails != 0 {
				t.Fatalf("%d calls failed after the cloud recovered", fails)
			}
			if n := requests() - before; n != callers {
				t.Fatalf("%d requests for %d calls after the recovery", n, callers)
			}
		})
	}
}

// TestRateLimitedMessage: the code's meaning holds unless the cloud's message says otherwise.
func TestRateLimitedMessage(t *testing.T) {
	tests := []struct {
		code int
		msg  string
		want bool
	}{
		{1110, "concurrent request over limit", true},
		{1199, "your requests are too frequent", true},
		{1110, "", true},
		{1110, "Request Frequency Exceeded", true},
		{1110, "illegal param", false},
		{1199, "sign invalid", false},
		{1111, "system busy", false},
		{500, "rate limit", false},
	}
	for _, tt := range tests {
		if got := (&APIError{Code: tt.code, Msg: tt.msg}).RateLimited(); got != tt.want {
			t.Errorf("%d %q: RateLimited = %v, want %v", tt.code, tt.msg, got, tt.want)
		}
	}
}

// TestRateLimitBackoff: the retries of a real rate limit land in later windows of the limit.
func TestRateLimitBackoff(t *testing.T) {
	f := newFakeCloud(t, scripted(code(1110), code(1199), code(1110)))
	const window = 40 * time.Millisecond
	c := f.client(t, func(cfg *Config) { cfg.RateLimitWindow = window })
	start := time.Now()
	if _, err := c.GetDevice(bg(t), "d1"); err != nil {
		t.Fatal(err)
	}
	// At least half of 1, 2 and 2 windows.
	if took := time.Since(start); took < 5*window/2 {
		t.Fatalf("three rate-limit retries took %s, want at least %s", took, 5*window/2)
	}
}

// TestRateBudgetRefusesAtOnce: many more calls than the budget allows before their deadline:
// the ones that can get budget in time get it; the others fail with ErrRateBudget, none with a
// timeout having sent nothing. The process's budget books slots ahead (rate.Limiter.Reserve),
// so it refuses at once; GCRA in Redis books nothing ahead, so a call there may wait for a turn
// that others take until its deadline.
func TestRateBudgetRefusesAtOnce(t *testing.T) {
	for _, kind := range budgetKinds() {
		t.Run(kind.name, func(t *testing.T) {
			store := kind.open(t, zerolog.Nop())
			srv, err := sandbox.Start(sandbox.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			const perSecond, calls, deadline = 10, 60, 2 * time.Second
			cs := replicas(t, srv, 2, func(c *Config) { c.TokenStore, c.RateLimit = store, perSecond })
			if store == nil {
				cs = cs[:1]
			}
			// A token first, so that the grant is not what waits.
			if _, err := cs[0].GetDevice(bg(t), sandbox.DemoStripID); err != nil {
				t.Fatal(err)
			}
			const route = "GET /v1.0/devices/{device_id}"
			before := srv.Stats().ByRoute[route]
			var mu sync.Mutex
			var ok, refused, late int
			var wg sync.WaitGroup
			for i := range calls {
				wg.Go(func() {
					ctx, cancel := context.WithTimeout(bg(t), deadline)
					defer cancel()
					start := time.Now()
					_, err := cs[i%len(cs)].GetDevice(ctx, sandbox.DemoStripID)
					took := time.Since(start)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						ok++
					case errors.Is(err, ErrRateBudget):
						refused++
						if store == nil && took > deadline/2 {
							t.Errorf("refused after %s, not at once (deadline %s)", took, deadline)
						}
					case errors.Is(err, context.DeadlineExceeded):
						// Budget came just before the deadline and the answer after it: the
						// request must have been sent (checked below).
						late++
					default:
						t.Errorf("err = %v after %s, want success or ErrRateBudget", err, took)
					}
				})
			}
			wg.Wait()
			if sent := srv.Stats().ByRoute[route] - before; sent != int64(ok+late) {
				t.Errorf("the cloud got %d requests for %d successes and %d late answers: a call timed out unsent", sent, ok, late)
			}
			// About the burst and two seconds' worth get budget; the rest are refused.
			if ok < perSecond || refused < calls-4*perSecond {
				t.Fatalf("%d calls succeeded, %d refused; want at least %d and %d", ok, refused, perSecond, calls-4*perSecond)
			}
		})
	}
}
