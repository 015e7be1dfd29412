package client

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisBackend keeps a project's token under tuya-mcp:KEY:token with a TTL that ends at the
// token's expiry, and its grant lock under tuya-mcp:KEY:grant-lock with a TTL of LockTimeout.
// The same server holds the fleet's rate and retry budgets (budget.go).
type redisBackend struct {
	rdb         *redis.Client
	desc        string
	lockTimeout time.Duration
}

// redisTimeout bounds each Redis command: a store that does not answer quickly is treated as
// down, and calls go on with a per-process token.
const redisTimeout = 500 * time.Millisecond

func newRedisBackend(spec string, opts StoreOptions) (*redisBackend, error) {
	o, err := parseRedisURL(spec)
	if err != nil {
		return nil, err
	}
	o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.PoolTimeout = redisTimeout, redisTimeout, redisTimeout, 2*redisTimeout
	if o.TLSConfig != nil {
		o.Dialer = tlsDialer(o.TLSConfig)
	}
	// A failed command is not retried by go-redis: the client falls back at once instead.
	o.MaxRetries = -1
	o.DialerRetries = 1
	lt := opts.LockTimeout
	if lt <= 0 {
		lt = DefaultLockTimeout
	}
	u, _ := url.Parse(spec)
	desc := u.Scheme + "://" + u.Host + u.Path
	return &redisBackend{rdb: redis.NewClient(o), desc: desc, lockTimeout: lt}, nil
}

// tlsHandshakeError marks a rediss:// server that accepted the connection but not TLS: without
// it, a plain server leaves the handshake waiting and the error says only "context deadline
// exceeded".
type tlsHandshakeError struct{ err error }

func (e *tlsHandshakeError) Error() string { return tlsHandshakePrefix + e.err.Error() }
func (e *tlsHandshakeError) Unwrap() error { return e.err }

const tlsHandshakePrefix = "TLS handshake: "

// tlsDialer connects, then shakes hands within redisTimeout, telling a failed handshake from a
// failed connection.
func tlsDialer(cfg *tls.Config) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		d := net.Dialer{Timeout: redisTimeout}
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		ctx, cancel := context.WithTimeout(ctx, redisTimeout)
		defer cancel()
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, &tlsHandshakeError{err}
		}
		return tc, nil
	}
}

// parseRedisURL is redis.ParseURL with errors that say what is wrong (the port, the database,
// an option) and never quote the password.
func parseRedisURL(spec string) (*redis.Options, error) {
	bad := func(problem string) error {
		return fmt.Errorf("client: token store: not a valid Redis URL: %s (want redis://[user:password@]host:port/db or rediss://...)", problem)
	}
	u, err := url.Parse(spec)
	if err != nil {
		// url.Error quotes the whole URL; the error inside it quotes only the bad part.
		var ue *url.Error
		if errors.As(err, &ue) && !quotesUserinfo(spec, ue.Err.Error()) {
			return nil, bad(ue.Err.Error())
		}
		return nil, bad("it does not parse (a % in the user or password is written %25)")
	}
	if u.Hostname() == "" {
		return nil, bad("no host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, bad(fmt.Sprintf("port %q is not a number from 1 to 65535", p))
		}
	}
	if db := strings.Trim(u.Path, "/"); db != "" {
		if n, err := strconv.Atoi(db); err != nil || n < 0 {
			return nil, bad(fmt.Sprintf("database %q is not a number such as 0", db))
		}
	}
	o, err := redis.ParseURL(spec)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "redis: ")
		if pw, ok := u.User.Password(); ok && pw != "" && strings.Contains(msg, pw) {
			msg = "it does not parse"
		}
		return nil, bad(msg)
	}
	return o, nil
}

// quotesUserinfo reports whether msg quotes a part of spec's user and password.
func quotesUserinfo(spec, msg string) bool {
	at := strings.LastIndex(spec, "@")
	if at < 0 {
		return false
	}
	info := spec[:at]
	for i, part := range strings.Split(msg, `"`) {
		if i%2 == 1 && part != "" && strings.Contains(info, part) {
			return true
		}
	}
	return false
}

func (r *redisBackend) fail(op string, err error) error {
	se := &StoreError{Op: op, Store: r.desc, Cause: StoreOutage, Err: err}
	if p := redisConfigProblem(err); p != "" {
		se.Cause, se.Problem = StoreConfig, p
	}
	return se
}

// redisConfigProblem says what setting err shows to be wrong, or "" for an outage (a server
// down, slow or restarting).
func redisConfigProblem(err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "WRONGPASS"), strings.Contains(msg, "invalid password"),
		strings.Contains(msg, "invalid username-password"):
		return "wrong user name or password"
	case strings.HasPrefix(msg, "NOAUTH"):
		return "the server requires a password: redis://user:password@host:port/db"
	case strings.HasPrefix(msg, "NOPERM"):
		return "the Redis user lacks rights: it needs to read, write and run scripts on the tuya-mcp:* keys"
	case strings.Contains(msg, "DB index is out of range"), strings.Contains(msg, "invalid DB index"):
		return "no such database on the server: the db number in the URL is out of its range"
	case errors.As(err, new(*tlsHandshakeError)), strings.HasPrefix(msg, tlsHandshakePrefix):
		return "TLS handshake failed: is the server speaking TLS?"
	}
	return ""
}

// check sends PING (which connects: AUTH and SELECT), then writes and deletes a key with the
// commands the store uses.
func (r *redisBackend) check(ctx context.Context) error {
	if err := r.rdb.Ping(ctx).Err(); err != nil {
		return r.fail("check", err)
	}
	k := redisKey("check", "token")
	if err := r.rdb.Set(ctx, k, "{}", time.Second).Err(); err != nil {
		return r.fail("check", err)
	}
	if err := removeScript.Run(ctx, r.rdb, []string{k}, "").Err(); err != nil && !errors.Is(err, redis.Nil) {
		return r.fail("check", err)
	}
	r.rdb.Del(ctx, k)
	return nil
}

func redisKey(key, what string) string { return "tuya-mcp:" + key + ":" + what }

func (r *redisBackend) load(ctx context.Context, key string) (*token, error) {
	data, err := r.rdb.Get(ctx, redisKey(key, "token")).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, r.fail("load", err)
	}
	t, err := decodeToken(key, data)
	if err != nil {
		// Not ours (or damaged): treated as absent; the next grant overwrites it.
		return nil, nil
	}
	return t, nil
}

func (r *redisBackend) save(ctx context.Context, key string, t *token) error {
	data, err := encodeToken(key, t)
	if err != nil {
		return r.fail("save", err)
	}
	ttl := time.Until(t.expiry)
	if ttl <= 0 {
		return nil
	}
	if err := r.rdb.Set(ctx, redisKey(key, "token"), data, ttl).Err(); err != nil {
		return r.fail("save", err)
	}
	return nil
}

// removeScript deletes the token only if it still holds the access token that failed.
var removeScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v)['access_token'] == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`)

func (r *redisBackend) remove(ctx context.Context, key, access string) error {
	if err := removeScript.Run(ctx, r.rdb, []string{redisKey(key, "token")}, access).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return r.fail("remove", err)
	}
	return nil
}

// unlockScript releases the lock only if it is still this holder's: after a timeout another
// process may hold it.
var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`)

func (r *redisBackend) tryLock(ctx context.Context, key string) (func(), bool, error) {
	b := make([]byte, 16)
	rand.Read(b)
	owner := hex.EncodeToString(b)
	k := redisKey(key, "grant-lock")
	ok, err := r.rdb.SetNX(ctx, k, owner, r.lockTimeout).Result()
	if err != nil {
		return nil, false, r.fail("lock", err)
	}
	if !ok {
		return nil, false, nil
	}
	return func() {
		// The caller's context may be over; the release gets a short one of its own.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), redisTimeout)
		defer cancel()
		unlockScript.Run(ctx, r.rdb, []string{k}, owner)
	}, true, nil
}
