package client

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
)

func okDevice(w http.ResponseWriter, r *http.Request, body []byte) { ok(w, map[string]any{"id": "d1"}) }

// waitFor polls cond, failing the test after a few seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// gate holds token answers until the returned release is called.
func (f *fakeCloud) gate() (release func()) {
	ch := make(chan struct{})
	f.mu.Lock()
	f.tokenGate = ch
	f.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { close(ch) }) }
}

func TestSingleFlight(t *testing.T) {
	tests := []struct {
		name       string
		warm       bool // a token exists and is then revoked, so every call sees 1010
		calls      int
		wantGrants int64
	}{
		{name: "100 first calls make one grant", calls: 100, wantGrants: 1},
		{name: "50 concurrent 1010s make one new grant", warm: true, calls: 50, wantGrants: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, okDevice)
			c := f.client(t, nil)
			if tt.warm {
				if _, err := c.GetDevice(bg(t), "d1"); err != nil {
					t.Fatal(err)
				}
				f.revoke()
			}
			release := f.gate()
			defer release()
			var wg sync.WaitGroup
			errs := make(chan error, tt.calls)
			for range tt.calls {
				wg.Go(func() {
					_, err := c.GetDevice(bg(t), "d1")
					errs <- err
				})
			}
			// Let every goroutine reach the token wait before the grant is answered.
			waitFor(t, "the grant request", func() bool { return f.tokenRequests.Load() > btoi(tt.warm) })
			time.Sleep(50 * time.Millisecond)
			release()
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if got := f.grants.Load(); got != tt.wantGrants {
				t.Fatalf("%d grants, want %d", got, tt.wantGrants)
			}
		})
	}
}

func TestTokenLifetime(t *testing.T) {
	tests := []struct {
		name          string
		ttl           int64
		advance       []time.Duration // clock moves before each call after the first
		refuse        bool
		wantGrants    int64
		wantRefreshes int64
	}{
		{name: "fresh token reused", ttl: 7200, advance: []time.Duration{30 * time.Minute, 30 * time.Minute}, wantGrants: 1},
		{name: "refreshed within 5 minutes of expiry", ttl: 7200, advance: []time.Duration{7200*time.Second - 299*time.Second, time.Minute}, wantGrants: 1, wantRefreshes: 1},
		{name: "expired token refreshed", ttl: 7200, advance: []time.Duration{3 * time.Hour}, wantGrants: 1, wantRefreshes: 1},
		{name: "failed refresh falls back to a grant", ttl: 7200, advance: []time.Duration{3 * time.Hour}, refuse: true, wantGrants: 2},
		{name: "short lifetime refreshed at 10% left, not on every call", ttl: 10, advance: []time.Duration{5 * time.Second, 3 * time.Second, 1500 * time.Millisecond}, wantGrants: 1, wantRefreshes: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t, okDevice)
			f.setTTL(tt.ttl)
			f.refuseRefresh = tt.refuse
			clock := testutil.NewClock(time.Unix(1700000000, 0))
			c := f.client(t, func(cfg *Config) { cfg.Now = clock.Now })
			if _, err := c.GetDevice(bg(t), "d1"); err != nil {
				t.Fatal(err)
			}
			for _, d := range tt.advance {
				clock.Advance(d)
				if _, err := c.GetDevice(bg(t), "d1"); err != nil {
					t.Fatal(err)
				}
			}
			if f.grants.Load() != tt.wantGrants || f.refreshes.Load() != tt.wantRefreshes {
				t.Fatalf("grants %d refreshes %d; want %d, %d", f.grants.Load(), f.refreshes.Load(), tt.wantGrants, tt.wantRefreshes)
			}
		})
	}
}

func btoi(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// TestRefreshDoesNotBlockUsableToken: while one caller refreshes a token that is about to
// expire, others keep using it.
func TestRefreshDoesNotBlockUsableToken(t *testing.T) {
	f := newFakeCloud(t, okDevice)
	clock := testutil.NewClock(time.Unix(1700000000, 0))
	c := f.client(t, func(cfg *Config) { cfg.Now = clock.Now })
	if _, err := c.GetDevice(bg(t), "d1"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(7200*time.Second - time.Minute)
	release := f.gate()
	defer release()
	refreshed := make(chan error, 1)
	go func() {
		_, err := c.GetDevice(bg(t), "d1")
		refreshed <- err
	}()
	waitFor(t, "the refresh to start", func() bool {
		c.tokens.mu.Lock()
		defer c.tokens.mu.Unlock()
		return c.tokens.fl != nil
	})
	for range 3 {
		if _, err := c.GetDevice(bg(t), "d1"); err != nil {
			t.Fatal(err)
		}
	}
	release()
	if err := <-refreshed; err != nil {
		t.Fatal(err)
	}
	if f.refreshes.Load() != 1 || f.business.Load() != 5 {
		t.Fatalf("refreshes %d business %d", f.refreshes.Load(), f.business.Load())
	}
}

func TestTokenWaitRespectsEachContext(t *testing.T) {
	f := newFakeCloud(t, okDevice)
	c := f.client(t, nil)
	release := f.gate()
	defer release()

	firstCtx, cancelFirst := context.WithCancel(bg(t))
	first := make(chan error, 1)
	go func() {
		_, err := c.GetDevice(firstCtx, "d1")
		first <- err
	}()
	waitFor(t, "the grant to start", func() bool {
		c.tokens.mu.Lock()
		defer c.tokens.mu.Unlock()
		return c.tokens.fl != nil
	})

	// A waiter with a short deadline returns on its own deadline, while the grant hangs.
	short, cancel := context.WithTimeout(bg(t), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.GetDevice(short, "d1"); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Fatalf("err = %v after %v", err, time.Since(start))
	}

	// A patient waiter takes over when the caller that started the grant gives up.
	second := make(chan error, 1)
	go func() {
		_, err := c.GetDevice(bg(t), "d1")
		second <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancelFirst()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("first caller: %v", err)
	}
	release()
	if err := <-second; err != nil {
		t.Fatalf("second caller: %v", err)
	}
	// The abandoned grant and the one the second caller made.
	if n := f.tokenRequests.Load(); n != 2 {
		t.Fatalf("%d token requests, want 2", n)
	}
}

func TestGrantFailureReachesEveryCaller(t *testing.T) {
	f := newFakeCloud(t, okDevice)
	c := f.client(t, func(cfg *Config) { cfg.AccessSecret = "wrong-secret" })
	ctx, ci := WithCallInfo(bg(t))
	if _, err := c.GetDevice(ctx, "d1"); ci.Code() != CodeSignInvalid || ci.Attempts() != 0 || !IsCode(err, CodeSignInvalid) {
		t.Fatalf("err %v; CallInfo code %d attempts %d", err, ci.Code(), ci.Attempts())
	}
	for _, err := range concurrently(20, func() error {
		_, err := c.GetDevice(bg(t), "d1")
		return err
	}) {
		var ae *APIError
		if !errors.As(err, &ae) || ae.Code != CodeSignInvalid || ae.Path != "/v1.0/token" {
			t.Fatalf("err = %v, want 1004 on the token route", err)
		}
	}
	if n := f.rejected.Load(); n < 2 || n > 21 {
		t.Fatalf("%d rejected token requests", n)
	}
}
