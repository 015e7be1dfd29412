package client

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// countingObserver records what a client reports, for the tests.
type countingObserver struct {
	mu                                 sync.Mutex
	attempts, grants, refreshes, empty int
	storeErrors, rateWaits             int
	fallback                           bool
	codes                              map[int]int
	retries                            map[string]int
	// causes counts store errors by cause.
	causes map[string]int
}

func newCountingObserver() *countingObserver {
	return &countingObserver{codes: map[int]int{}, retries: map[string]int{}, causes: map[string]int{}}
}

func (o *countingObserver) lock() func() { o.mu.Lock(); return o.mu.Unlock }

func (o *countingObserver) Attempt(_, code int) {
	defer o.lock()()
	o.attempts++
	if code != 0 {
		o.codes[code]++
	}
}
func (o *countingObserver) Retry(r string)    { defer o.lock()(); o.retries[r]++ }
func (o *countingObserver) RetryBudgetEmpty() { defer o.lock()(); o.empty++ }
func (o *countingObserver) TokenObtained(refresh bool) {
	defer o.lock()()
	if refresh {
		o.refreshes++
	} else {
		o.grants++
	}
}
func (o *countingObserver) TokenStoreError(_, cause string) {
	defer o.lock()()
	o.storeErrors++
	o.causes[cause]++
}
func (o *countingObserver) TokenStoreFallback(on bool) { defer o.lock()(); o.fallback = on }
func (o *countingObserver) RateWait(time.Duration)     { defer o.lock()(); o.rateWaits++ }
func (o *countingObserver) budgetEmpty() int           { defer o.lock()(); return o.empty }

func (o *countingObserver) snapshot() (grants int, fallback bool, storeErrors int) {
	defer o.lock()()
	return o.grants, o.fallback, o.storeErrors
}

// storeKind opens a fresh store of one kind for a test, or skips without redis-server.
type storeKind struct {
	name string
	open func(t *testing.T, log zerolog.Logger) *TokenStore
}

func fileKind() storeKind {
	return storeKind{name: "file", open: func(t *testing.T, log zerolog.Logger) *TokenStore {
		return openStore(t, "file:"+t.TempDir(), StoreOptions{Logger: log})
	}}
}

func redisKind() storeKind {
	return storeKind{name: "redis", open: func(t *testing.T, log zerolog.Logger) *TokenStore {
		return openStore(t, testutil.StartRedis(t).URL(), StoreOptions{Logger: log})
	}}
}

func openStore(t *testing.T, spec string, opts StoreOptions) *TokenStore {
	t.Helper()
	s, err := OpenTokenStore(spec, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// replicas makes n clients of srv sharing store, as n processes would.
func replicas(t *testing.T, srv *sandbox.Server, n int, mod func(*Config)) []*Client {
	t.Helper()
	cs := make([]*Client, n)
	for i := range cs {
		cfg := Config{AccessID: sandbox.DemoAccessID, AccessSecret: sandbox.DemoAccessSecret, Endpoint: srv.URL,
			RetryBaseDelay: 2 * time.Millisecond, RetryMaxDelay: 20 * time.Millisecond, RateLimitWindow: 10 * time.Millisecond}
		mod(&cfg)
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.CloseIdleConnections)
		cs[i] = c
	}
	return cs
}

// callAll makes perClient concurrent calls on each client and returns the failures.
func callAll(t *testing.T, cs []*Client, perClient int) []error {
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for _, c := range cs {
		for range perClient {
			wg.Go(func() {
				if _, err := c.GetDevice(bg(t), sandbox.DemoStripID); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	return errs
}

// TestSharedStoreOneGrant: processes sharing a store grant once between them, even against a
// cloud where each grant revokes the earlier tokens; after a 1010 that every process sees,
// one new grant replaces the token (compare-and-delete), not one per process.
func TestSharedStoreOneGrant(t *testing.T) {
	for _, kind := range []storeKind{fileKind(), redisKind()} {
		t.Run(kind.name, func(t *testing.T) {
			var logs testutil.SyncBuffer
			log := zerolog.New(&logs)
			store := kind.open(t, log)
			srv, err := sandbox.Start(sandbox.Options{Faults: sandbox.Faults{RevokeOnGrant: true}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			obs := newCountingObserver()
			cs := replicas(t, srv, 5, func(c *Config) { c.TokenStore, c.Observer, c.Logger = store, obs, log })
			if errs := callAll(t, cs, 8); len(errs) > 0 {
				t.Fatalf("%d calls failed, first: %v", len(errs), errs[0])
			}
			if st := srv.Stats(); st.TokenGrants != 1 || obs.grants != 1 {
				t.Fatalf("%d grants in the cloud, %d reported, want 1", st.TokenGrants, obs.grants)
			}
			srv.RevokeTokens()
			if errs := callAll(t, cs, 4); len(errs) > 0 {
				t.Fatalf("%d calls failed after the revocation, first: %v", len(errs), errs[0])
			}
			if st := srv.Stats(); st.TokenGrants != 2 {
				t.Fatalf("%d grants after one revocation seen by 5 processes, want 2", st.TokenGrants)
			}
			for _, tok := range srv.AccessTokens() {
				if strings.Contains(logs.String(), tok) {
					t.Fatal("an access token is in the logs")
				}
			}
		})
	}
}

// TestFileStoreFiles: the file store's directory is 0700 and its file 0600, named by a hash;
// a corrupt or foreign file is replaced, with one warning; a file or directory found open to
// others is closed, with one warning.
func TestFileStoreFiles(t *testing.T) {
	const valid = `{"key":"KEY","access_token":"revoked","expires_at_ms":99999999999999,"lifetime_s":7200}`
	tests := []struct {
		name, content string
		// fileMode and dirMode are the modes found at start (0600, 0700 when zero).
		fileMode, dirMode os.FileMode
		// wantLog is the warning expected once, if any.
		wantLog string
	}{
		{name: "no file"},
		{name: "corrupt", content: "{not json", wantLog: "corrupt or foreign"},
		{name: "foreign", content: `{"key":"someone-else","access_token":"x","expires_at_ms":99999999999999,"lifetime_s":7200}`, wantLog: "corrupt or foreign"},
		{name: "expired", content: `{"key":"KEY","access_token":"old","refresh_token":"gone","expires_at_ms":1,"lifetime_s":7200}`},
		{name: "file readable by others", content: valid, fileMode: 0o644, wantLog: "readable by others"},
		{name: "file writable by the group", content: valid, fileMode: 0o620, wantLog: "readable by others"},
		{name: "directory open to others", content: valid, dirMode: 0o755, wantLog: "open to others"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "cache")
			var logs testutil.SyncBuffer
			store := openStore(t, "file:"+dir, StoreOptions{Logger: zerolog.New(&logs)})
			_, c := startSandbox(t, sandbox.Options{}, func(c *Config) { c.TokenStore = store })
			key := storeKey(sandbox.DemoAccessID, c.baseURL)
			file := filepath.Join(dir, key+".json")
			if tt.content != "" {
				os.MkdirAll(dir, 0o700)
				os.WriteFile(file, []byte(strings.ReplaceAll(tt.content, "KEY", key)), 0o600)
				os.Chmod(file, cmp.Or(tt.fileMode, 0o600))
				os.Chmod(dir, cmp.Or(tt.dirMode, 0o700))
			}
			if err := store.Check(bg(t)); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetDevice(bg(t), sandbox.DemoStripID); err != nil {
				t.Fatal(err)
			}
			for path, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, file: 0o600} {
				fi, err := os.Stat(path)
				if err != nil || fi.Mode() != want {
					t.Fatalf("%s: mode %v, err %v; want %v", path, fi.Mode(), err, want)
				}
			}
			data, _ := os.ReadFile(file)
			if _, err := decodeToken(key, data); err != nil {
				t.Fatalf("the file holds no token of the project: %v", err)
			}
			for _, w := range []string{"corrupt or foreign", "readable by others", "open to others"} {
				want := 0
				if w == tt.wantLog {
					want = 1
				}
				if got := strings.Count(logs.String(), w); got != want {
					t.Fatalf("%d warnings %q, want %d; logs: %s", got, w, want, logs.String())
				}
			}
			if strings.Contains(filepath.Base(file), sandbox.DemoAccessSecret) || strings.Contains(filepath.Base(file), sandbox.DemoAccessID) {
				t.Fatal("the file is named by the credentials")
			}
		})
	}
}

// TestRedisDownFallback: with Redis gone, calls go on with a token of the process, reported as
// a fallback; with Redis back, the processes return to one shared token.
func TestRedisDownFallback(t *testing.T) {
	rs := testutil.StartRedis(t)
	store := openStore(t, rs.URL(), StoreOptions{})
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	clock := testutil.NewClock(time.Now())
	obs := []*countingObserver{newCountingObserver(), newCountingObserver()}
	i := 0
	cs := replicas(t, srv, 2, func(c *Config) { c.TokenStore, c.Observer, c.Now = store, obs[i], clock.Now; i++ })
	if errs := callAll(t, cs, 4); len(errs) > 0 {
		t.Fatal(errs[0])
	}
	rs.Stop()
	// A token in memory needs no store: calls go on untouched.
	if errs := callAll(t, cs, 4); len(errs) > 0 {
		t.Fatal(errs[0])
	}
	// The cloud revokes the token: each process needs a new one and the store is down.
	srv.RevokeTokens()
	if errs := callAll(t, cs, 4); len(errs) > 0 {
		t.Fatalf("calls failed while Redis was down: %v", errs[0])
	}
	for k, o := range obs {
		if _, fb, se := o.snapshot(); !fb || se == 0 {
			t.Fatalf("process %d: fallback %v, %d store errors; want a fallback reported", k, fb, se)
		}
	}
	if st := srv.Stats(); st.TokenGrants != 3 {
		t.Fatalf("%d grants, want 1 shared and 1 per process while Redis was down", st.TokenGrants)
	}
	rs.Start()
	clock.Advance(storeRetryInterval + time.Second)
	// The store is tried again beside the calls, which do not wait for it.
	for deadline := time.Now().Add(10 * time.Second); ; {
		if errs := callAll(t, cs, 4); len(errs) > 0 {
			t.Fatal(errs[0])
		}
		_, fb0, _ := obs[0].snapshot()
		_, fb1, _ := obs[1].snapshot()
		if !fb0 && !fb1 && cs[0].tokens.current() == cs[1].tokens.current() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("fallbacks %v %v; the processes did not return to one shared token after Redis came back", fb0, fb1)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// current is the access token in memory, "" without one.
func (s *tokenSource) current() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return ""
	}
	return s.cur.access
}

// TestGrantLockTimeout: a process that died holding the grant lock stops the others only until
// the lock times out.
func TestGrantLockTimeout(t *testing.T) {
	rs := testutil.StartRedis(t)
	const timeout = 700 * time.Millisecond
	store := openStore(t, rs.URL(), StoreOptions{LockTimeout: timeout})
	_, c := startSandbox(t, sandbox.Options{}, func(c *Config) { c.TokenStore = store })
	// What a process killed during its grant leaves behind: its lock, with the lock's TTL.
	lock := redisKey(storeKey(sandbox.DemoAccessID, c.baseURL), "grant-lock")
	if r, err := rs.Do("SET", lock, "dead-process", "PX", "700"); err != nil || r != "+OK" {
		t.Fatalf("SET: %q %v", r, err)
	}
	start := time.Now()
	if _, err := c.GetDevice(bg(t), sandbox.DemoStripID); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < timeout/2 {
		t.Fatalf("granted after %s, while a dead process's lock held for %s", waited, timeout)
	}
	if r, _ := rs.Do("EXISTS", lock); r != ":0" {
		t.Fatalf("the lock is still held after the grant: %q", r)
	}
}

// TestStoreCannotDelete: a store that keeps serving a token the cloud refused (a read-only
// Redis user, a directory this process cannot write) does not make every call fail with 1010:
// the process falls back to a token of its own, reported as a store failure and a fallback.
func TestStoreCannotDelete(t *testing.T) {
	kinds := []struct {
		name string
		// open returns a store that can write and one, on the same data, that cannot delete.
		open func(t *testing.T) (rw, ro *TokenStore)
	}{
		{"redis read-only user", func(t *testing.T) (*TokenStore, *TokenStore) {
			rs := testutil.StartRedis(t)
			if r, err := rs.Do("ACL", "SETUSER", "reader", "on", ">readerpw", "~*", "+@read", "+@connection"); err != nil || r != "+OK" {
				t.Fatalf("ACL SETUSER: %q %v", r, err)
			}
			ro := fmt.Sprintf("redis://reader:readerpw@127.0.0.1:%d/0", rs.Port)
			return openStore(t, rs.URL(), StoreOptions{}), openStore(t, ro, StoreOptions{})
		}},
		{"file in a read-only directory", func(t *testing.T) (*TokenStore, *TokenStore) {
			if os.Geteuid() == 0 {
				t.Skip("root writes in a read-only directory")
			}
			dir := t.TempDir()
			return openStore(t, "file:"+dir, StoreOptions{}), openStore(t, "file:"+dir, StoreOptions{})
		}},
	}
	for _, kind := range kinds {
		t.Run(kind.name, func(t *testing.T) {
			rw, ro := kind.open(t)
			srv, err := sandbox.Start(sandbox.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			writer := replicas(t, srv, 1, func(c *Config) { c.TokenStore = rw })
			if errs := callAll(t, writer, 1); len(errs) > 0 {
				t.Fatal(errs[0])
			}
			srv.RevokeTokens()
			if fb, ok := ro.b.(*fileBackend); ok {
				os.Chmod(fb.dir, 0o500)
				t.Cleanup(func() { os.Chmod(fb.dir, 0o700) })
			}
			obs := newCountingObserver()
			reader := replicas(t, srv, 1, func(c *Config) { c.TokenStore, c.Observer = ro, obs })
			for range 3 {
				if errs := callAll(t, reader, 4); len(errs) > 0 {
					t.Fatalf("%d calls failed, first: %v", len(errs), errs[0])
				}
			}
			if grants, fb, se := obs.snapshot(); grants != 1 || !fb || se == 0 {
				t.Fatalf("%d grants, fallback %v, %d store errors; want 1 grant on a fallback", grants, fb, se)
			}
		})
	}
}

// TestStoreRecheckBesideCalls: a process on its own token tries its failed store again beside
// the calls: a store that still fails slowly (rediss:// to a server that does not speak TLS,
// where the handshake waits for its timeout) does not slow them.
func TestStoreRecheckBesideCalls(t *testing.T) {
	rs := testutil.StartRedis(t)
	store := openStore(t, fmt.Sprintf("rediss://127.0.0.1:%d/0", rs.Port), StoreOptions{})
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	clock := testutil.NewClock(time.Now())
	obs := newCountingObserver()
	c := replicas(t, srv, 1, func(c *Config) { c.TokenStore, c.Observer, c.Now = store, obs, clock.Now })[0]
	if _, err := c.GetDevice(bg(t), sandbox.DemoStripID); err != nil {
		t.Fatal(err)
	}
	if _, fb, _ := obs.snapshot(); !fb {
		t.Fatal("no fallback with a store that fails")
	}
	for range 3 {
		clock.Advance(storeRetryInterval + time.Second)
		// Far less than the handshake's timeout (redisTimeout).
		ctx, cancel := context.WithTimeout(bg(t), redisTimeout/3)
		_, err := c.GetDevice(ctx, sandbox.DemoStripID)
		cancel()
		if err != nil {
			t.Fatalf("a call during the store's recheck: %v", err)
		}
	}
}

// TestStoreErrorCauses: a Redis that refuses this user (its rights taken away) is reported as a
// setting's fault, in the metric and the log; a Redis that is gone, as an outage.
func TestStoreErrorCauses(t *testing.T) {
	rs := testutil.StartRedis(t)
	if r, err := rs.Do("ACL", "SETUSER", "app", "on", ">apppw", "~*", "+@all"); err != nil || r != "+OK" {
		t.Fatalf("ACL SETUSER: %q %v", r, err)
	}
	var logs testutil.SyncBuffer
	store := openStore(t, fmt.Sprintf("redis://app:apppw@127.0.0.1:%d/0", rs.Port), StoreOptions{})
	srv, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	obs := newCountingObserver()
	cs := replicas(t, srv, 1, func(c *Config) { c.TokenStore, c.Observer, c.Logger = store, obs, zerolog.New(&logs) })
	steps := []struct {
		name  string
		spoil func()
		cause string
	}{
		{"rights taken away", func() {
			if r, err := rs.Do("ACL", "SETUSER", "app", "-@all"); err != nil || r != "+OK" {
				t.Fatalf("ACL SETUSER: %q %v", r, err)
			}
		}, StoreConfig},
		{"server gone", rs.Stop, StoreOutage},
	}
	if errs := callAll(t, cs, 1); len(errs) > 0 {
		t.Fatal(errs[0])
	}
	for _, st := range steps {
		st.spoil()
		srv.RevokeTokens()
		obs.mu.Lock()
		before := obs.causes[st.cause]
		obs.mu.Unlock()
		if errs := callAll(t, cs, 1); len(errs) > 0 {
			t.Fatalf("%s: %v", st.name, errs[0])
		}
		obs.mu.Lock()
		got := obs.causes[st.cause] - before
		obs.mu.Unlock()
		if got == 0 {
			t.Fatalf("%s: no store error with cause %s; causes %v", st.name, st.cause, obs.causes)
		}
		if !strings.Contains(logs.String(), `"cause":"`+st.cause+`"`) {
			t.Fatalf("%s: no log line with cause %s: %s", st.name, st.cause, logs.String())
		}
	}
}
