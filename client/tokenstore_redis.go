package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
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
	o, err := redis.ParseURL(spec)
	if err != nil {
		// ParseURL's errors may quote the URL, and with it the password.
		return nil, errors.New("client: token store: not a valid redis:// or rediss:// URL (redis://[user:password@]host:port/db)")
	}
	o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.PoolTimeout = redisTimeout, redisTimeout, redisTimeout, 2*redisTimeout
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

func (r *redisBackend) fail(op string, err error) error {
	return &StoreError{Op: op, Store: r.desc, Err: err}
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
