package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gofrs/flock"
	"github.com/rs/zerolog"
)

// TokenStore is where clients keep the project's access token so that several processes share
// one: a directory on this machine (file) or a Redis server (redis:// or rediss://). A nil
// *TokenStore in Config keeps the token in the process, as before. Build one with
// OpenTokenStore; one store may serve several clients. Stores never log, return or expose a
// token.
type TokenStore struct {
	b backend
	// desc names the store in logs without its password, such as "file /home/a/.cache/tuya-mcp".
	desc string
	// redis is set for a Redis store, whose server also holds the shared rate and retry budgets.
	redis *redisBackend
}

// StoreOptions tune OpenTokenStore.
type StoreOptions struct {
	// Logger gets the store's warnings (a replaced corrupt file, Redis unreachable).
	Logger zerolog.Logger
	// LockTimeout is how long a grant lock lives in Redis, so that a process that dies holding
	// it does not stop the others from granting; zero means 15s (more than a token request's
	// timeout).
	LockTimeout time.Duration
}

// DefaultLockTimeout is StoreOptions.LockTimeout's default.
const DefaultLockTimeout = 15 * time.Second

// OpenTokenStore opens the store named by spec: "memory" (or "": a nil store), "file" (the
// directory os.UserCacheDir()/tuya-mcp), "file:PATH" (a directory), "redis://[user:password@]host:port/db" or "rediss://..." (TLS).
// A bad Redis URL is refused with what is wrong in it (never the password). It does not
// connect: Check tries the store; an unreachable Redis shows up in calls, which then fall back
// to a per-process token.
func OpenTokenStore(spec string, opts StoreOptions) (*TokenStore, error) {
	spec = strings.TrimSpace(spec)
	switch {
	case spec == "" || spec == "memory":
		return nil, nil
	case spec == "file" || strings.HasPrefix(spec, "file:"):
		dir := strings.TrimPrefix(strings.TrimPrefix(spec, "file"), ":")
		if dir == "" {
			cache, err := os.UserCacheDir()
			if err != nil {
				return nil, fmt.Errorf("client: token store: no cache directory (use file:PATH): %w", err)
			}
			dir = filepath.Join(cache, "tuya-mcp")
		}
		return &TokenStore{b: &fileBackend{dir: dir, log: opts.Logger}, desc: "file " + dir}, nil
	case strings.HasPrefix(spec, "redis://") || strings.HasPrefix(spec, "rediss://"):
		rb, err := newRedisBackend(spec, opts)
		if err != nil {
			return nil, err
		}
		return &TokenStore{b: rb, desc: rb.desc, redis: rb}, nil
	}
	return nil, errors.New("client: token store: want memory, file, file:PATH, redis://host:port/db or rediss://host:port/db")
}

// String names the store without secrets.
func (s *TokenStore) String() string {
	if s == nil {
		return "memory"
	}
	return s.desc
}

// Close releases the store's connections.
func (s *TokenStore) Close() error {
	if s == nil || s.redis == nil {
		return nil
	}
	return s.redis.rdb.Close()
}

// backend is one kind of store. key names the project (storeKey); every method may fail with
// a *StoreError.
type backend interface {
	// load returns the stored token, or nil when there is none.
	load(ctx context.Context, key string) (*token, error)
	save(ctx context.Context, key string, t *token) error
	// remove deletes the stored token only if its access token is access (compare-and-delete).
	remove(ctx context.Context, key, access string) error
	// tryLock takes the grant lock without waiting; ok is false when another process holds it.
	tryLock(ctx context.Context, key string) (unlock func(), ok bool, err error)
	// check is TokenStore.Check.
	check(ctx context.Context) error
}

// StoreError is a failure of the token store itself (Redis unreachable, a file that cannot be
// written). Calls survive it on a per-process token.
type StoreError struct {
	Op    string // check, load, save, remove, lock
	Store string
	// Cause is StoreConfig when a setting causes the failure (a wrong password, missing rights,
	// no such database, TLS to a server that does not speak it, a path that is not a
	// directory), StoreOutage otherwise; Problem then says what is wrong, in plain words.
	Cause   string
	Problem string
	Err     error
}

// Causes of a store failure (StoreError.Cause, Observer.TokenStoreError).
const (
	StoreConfig = "config"
	StoreOutage = "outage"
)

func (e *StoreError) Error() string {
	if e.Problem != "" {
		return fmt.Sprintf("client: token store %s: %s: %s (%v)", e.Store, e.Op, e.Problem, e.Err)
	}
	return fmt.Sprintf("client: token store %s: %s: %v", e.Store, e.Op, e.Err)
}

// storeCause is err's StoreError.Cause, StoreOutage for any other error.
func storeCause(err error) string {
	var se *StoreError
	if errors.As(err, &se) && se.Cause == StoreConfig {
		return StoreConfig
	}
	return StoreOutage
}

// Check tries the store as calls will use it, within ctx: a directory that can be created and
// written; a Redis server that answers with these credentials and database and lets this
// user write and run scripts. It returns a *StoreError whose Cause tells a setting (fix it)
// from an outage (calls will fall back to a per-process token until the store is back). It
// leaves no token behind.
func (s *TokenStore) Check(ctx context.Context) error {
	if s == nil {
		return nil
	}
	return s.b.check(ctx)
}

func (e *StoreError) Unwrap() error { return e.Err }

// storeKey names a project in a store: a hash of the Access ID and the endpoint, never the
// secret, so that one store holds the tokens of several projects and clouds apart.
func storeKey(accessID, endpoint string) string {
	sum := sha256.Sum256([]byte(accessID + "\n" + endpoint))
	return hex.EncodeToString(sum[:16])
}

// storedToken is a token as stores keep it. Key guards against a file or value that belongs
// to another project.
type storedToken struct {
	Key       string `json:"key"`
	Access    string `json:"access_token"`
	Refresh   string `json:"refresh_token,omitempty"`
	ExpiresMs int64  `json:"expires_at_ms"`
	LifetimeS int64  `json:"lifetime_s"`
}

func encodeToken(key string, t *token) ([]byte, error) {
	return json.Marshal(storedToken{Key: key, Access: t.access, Refresh: t.refresh,
		ExpiresMs: t.expiry.UnixMilli(), LifetimeS: int64(t.lifetime / time.Second)})
}

// decodeToken reads a stored token; an error means the data is corrupt or foreign. The error
// never quotes the data.
func decodeToken(key string, data []byte) (*token, error) {
	var st storedToken
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, errors.New("not a stored token")
	}
	if st.Key != key || st.Access == "" || st.ExpiresMs <= 0 || st.LifetimeS <= 0 {
		return nil, errors.New("not a token of this project")
	}
	return &token{access: st.Access, refresh: st.Refresh, expiry: time.UnixMilli(st.ExpiresMs),
		lifetime: time.Duration(st.LifetimeS) * time.Second}, nil
}

// fileBackend keeps one file per project, KEY.json (0600), in a 0700 directory, and takes
// the grant lock on KEY.lock with flock, which the system releases when a process dies.
type fileBackend struct {
	dir string
	log zerolog.Logger
	// mu guards corrupt, the modification time of the corrupt file last warned about, so that
	// one bad file is reported once, not at each read.
	mu      sync.Mutex
	corrupt time.Time
}

func (f *fileBackend) fail(op string, err error) error {
	se := &StoreError{Op: op, Store: "file " + f.dir, Cause: StoreOutage, Err: err}
	switch {
	case errors.Is(err, fs.ErrPermission):
		se.Cause, se.Problem = StoreConfig, "this process may not write in the directory"
	case errors.Is(err, syscall.ENOTDIR), errors.Is(err, fs.ErrExist):
		se.Cause, se.Problem = StoreConfig, "the path (or a parent) is not a directory"
	case errors.Is(err, syscall.EROFS):
		se.Cause, se.Problem = StoreConfig, "the directory is on a read-only file system"
	}
	return se
}

// check makes the directory and writes and removes a file in it. A directory of this machine
// is not down: any failure is a setting's.
func (f *fileBackend) check(context.Context) error {
	err := f.mkdir()
	if err == nil {
		f.private()
		var tmp *os.File
		if tmp, err = os.CreateTemp(f.dir, "check.*.tmp"); err == nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return nil
		}
	}
	se := f.fail("check", err).(*StoreError)
	if se.Cause != StoreConfig {
		var pe *fs.PathError
		reason := err
		if errors.As(err, &pe) {
			reason = pe.Err
		}
		se.Cause, se.Problem = StoreConfig, "cannot make a directory there: "+reason.Error()
	}
	return se
}

func (f *fileBackend) path(key, ext string) string { return filepath.Join(f.dir, key+ext) }

func (f *fileBackend) load(_ context.Context, key string) (*token, error) {
	name := f.path(key, ".json")
	file, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, f.fail("load", err)
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return nil, f.fail("load", err)
	}
	data, err := io.ReadAll(file)
	if err != nil {
		return nil, f.fail("load", err)
	}
	t, err := decodeToken(key, data)
	if err != nil {
		f.mu.Lock()
		seen := f.corrupt.Equal(fi.ModTime())
		f.corrupt = fi.ModTime()
		f.mu.Unlock()
		if !seen {
			f.log.Warn().Str("file", name).Str("problem", err.Error()).
				Msg("token store: ignoring a corrupt or foreign token file; it will be replaced")
		}
		return nil, nil
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		// Someone else may have read the token; at least nobody else will from now on.
		err := file.Chmod(0o600)
		f.log.Warn().Str("file", name).Str("mode", perm.String()).AnErr("chmod_error", err).
			Msg("token store: the token file was readable by others; made it 0600")
	}
	return t, nil
}

// save writes a temporary file and renames it, so that a reader never sees half a token.
func (f *fileBackend) save(_ context.Context, key string, t *token) error {
	data, err := encodeToken(key, t)
	if err != nil {
		return f.fail("save", err)
	}
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return f.fail("save", err)
	}
	tmp, err := os.CreateTemp(f.dir, key+".*.tmp") // CreateTemp makes it 0600
	if err != nil {
		return f.fail("save", err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return f.fail("save", err)
	}
	if err := os.Rename(tmp.Name(), f.path(key, ".json")); err != nil {
		os.Remove(tmp.Name())
		return f.fail("save", err)
	}
	return nil
}

// remove runs under the grant lock, so that the compare and the delete are one step for every
// process of the machine.
func (f *fileBackend) remove(ctx context.Context, key, access string) error {
	fl := flock.New(f.path(key, ".lock"))
	if err := f.mkdir(); err != nil {
		return f.fail("remove", err)
	}
	if _, err := fl.TryLockContext(ctx, 10*time.Millisecond); err != nil {
		return f.fail("remove", err)
	}
	defer fl.Unlock()
	t, err := f.load(ctx, key)
	if err != nil || t == nil || t.access != access {
		return err
	}
	if err := os.Remove(f.path(key, ".json")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return f.fail("remove", err)
	}
	return nil
}

func (f *fileBackend) mkdir() error { return os.MkdirAll(f.dir, 0o700) }

// private makes the directory 0700 when this user owns it and others may enter it, with a
// warning: the files are 0600, but their names and times are nobody else's business either.
func (f *fileBackend) private() {
	fi, err := os.Stat(f.dir)
	if err != nil || fi.Mode().Perm()&0o077 == 0 || !ownedByMe(fi) {
		return
	}
	err = os.Chmod(f.dir, 0o700)
	f.log.Warn().Str("dir", f.dir).Str("mode", fi.Mode().Perm().String()).AnErr("chmod_error", err).
		Msg("token store: the directory was open to others; made it 0700")
}

func (f *fileBackend) tryLock(_ context.Context, key string) (func(), bool, error) {
	if err := f.mkdir(); err != nil {
		return nil, false, f.fail("lock", err)
	}
	fl := flock.New(f.path(key, ".lock"), flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, false, f.fail("lock", err)
	}
	if !ok {
		return nil, false, nil
	}
	return func() { fl.Unlock() }, true, nil
}
