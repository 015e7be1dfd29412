package client

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"time"
)

// token is an access token with what is needed to renew it.
type token struct {
	access, refresh string
	expiry          time.Time
	lifetime        time.Duration
}

// fresh reports whether the token needs no renewal yet: more than min(5 minutes, 10% of its
// lifetime) remains. The 10% bound keeps short-lived tokens from being renewed on every call.
func (t *token) fresh(now time.Time) bool {
	margin := min(5*time.Minute, t.lifetime/10)
	return t.expiry.Sub(now) > margin
}

// usable reports whether the token has not expired.
func (t *token) usable(now time.Time) bool {
	return now.Before(t.expiry)
}

// flight is one token fetch in progress; done is closed when it ends.
type flight struct {
	done chan struct{}
	err  error
	// abandoned is set when the fetch ended because its caller's context did: the other
	// waiters then try again rather than fail with someone else's cancellation.
	abandoned bool
}

// tokenSource holds the process's access token and makes sure that at most one grant or
// refresh runs at a time in the process; with a store, at most one in the fleet. The fetch runs
// in the goroutine of the caller that started it, under that caller's context, except the
// recheck of a failed store while the process's own token is fresh, which runs beside the call
// (bounded by the store's timeouts).
type tokenSource struct {
	c *Client
	// store shares the token with other processes; nil keeps it in this process only. key
	// names the project in it.
	store backend
	key   string
	mu    sync.Mutex
	// cur is the current token; nil before the first grant and after a 1010.
	cur *token
	// fl is the fetch in progress, if any.
	fl *flight
	// fallback is set while the store fails and cur is this process's own token; the store is
	// tried again from retryStore on.
	fallback   bool
	retryStore time.Time
	// refused holds the last access tokens the cloud refused with a 1010, newest last: a
	// store that could not delete one (read-only) may still hold it, and it is never used again.
	refused []string
}

// maxRefused bounds tokenSource.refused; a refused token is gone from a store that works.
const maxRefused = 4

// storeRetryInterval is how often a process on a per-process token tries its store again.
const storeRetryInterval = 2 * time.Second

// lockPoll is how often a process waiting for another's grant looks for its token.
const lockPoll = 20 * time.Millisecond

// get returns a valid access token, fetching one if needed. A token in memory costs no store
// round trip until it needs renewal or fails.
func (s *tokenSource) get(ctx context.Context) (string, error) {
	for {
		s.mu.Lock()
		now := s.c.cfg.Now()
		cur := s.cur
		recheck := s.fallback && !now.Before(s.retryStore)
		if cur != nil && cur.fresh(now) && !recheck {
			s.mu.Unlock()
			return cur.access, nil
		}
		if fl := s.fl; fl != nil {
			s.mu.Unlock()
			if cur != nil && cur.usable(now) {
				// Being renewed, but still good: no need to wait.
				return cur.access, nil
			}
			select {
			case <-fl.done:
				if fl.err != nil && !fl.abandoned {
					return "", fl.err
				}
				continue
			case <-ctx.Done():
				return "", fmt.Errorf("client: waiting for an access token: %w", ctx.Err())
			}
		}
		fl := &flight{done: make(chan struct{})}
		s.fl = fl
		s.mu.Unlock()
		if cur != nil && cur.fresh(now) {
			// Only the store's recheck is due: it runs beside the call, so that a store still
			// down (a dial or TLS handshake that times out) does not slow the call.
			go s.fly(context.WithoutCancel(ctx), cur, fl)
			return cur.access, nil
		}
		t, err := s.fly(ctx, cur, fl)
		if err != nil {
			return "", err
		}
		return t.access, nil
	}
}

// fly runs the fetch of flight fl and ends it.
func (s *tokenSource) fly(ctx context.Context, old *token, fl *flight) (*token, error) {
	t, err := s.fetch(ctx, old)
	s.mu.Lock()
	if err == nil {
		s.cur = t
	}
	s.fl = nil
	fl.err, fl.abandoned = err, err != nil && ctx.Err() != nil
	s.mu.Unlock()
	close(fl.done)
	return t, err
}

// invalidate drops access if it is still the current token, here and in the store, so that
// concurrent callers that saw the same 1010 cause one new grant, not one each.
func (s *tokenSource) invalidate(ctx context.Context, access string) {
	s.mu.Lock()
	if s.cur != nil && s.cur.access == access {
		s.cur = nil
	}
	if !slices.Contains(s.refused, access) {
		s.refused = append(s.refused, access)
		if len(s.refused) > maxRefused {
			s.refused = s.refused[1:]
		}
	}
	shared := s.store != nil && !s.fallback
	s.mu.Unlock()
	if shared {
		if err := s.store.remove(ctx, s.key, access); err != nil {
			// The store may keep serving the refused token: the process goes on with one of its
			// own, as for any store failure.
			s.storeFailed(err)
			s.setFallback(true)
		}
	}
}

// wasRefused reports whether the cloud refused the access token with a 1010.
func (s *tokenSource) wasRefused(access string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Contains(s.refused, access)
}

// fetch returns a token to replace old (nil or due for renewal): from the store when another
// process put a fresh one there, else from the cloud. When the store fails, the process goes
// on with a token of its own and tries the store again later.
func (s *tokenSource) fetch(ctx context.Context, old *token) (*token, error) {
	if s.store == nil {
		return s.obtain(ctx, old)
	}
	t, err := s.shared(ctx, old)
	var se *StoreError
	switch {
	case err == nil:
		s.setFallback(false)
		return t, nil
	case t == nil && (!errors.As(err, &se) || ctx.Err() != nil):
		return nil, err
	}
	s.storeFailed(err)
	s.setFallback(true)
	if t != nil {
		// Obtained, but the store could not keep it.
		return t, nil
	}
	if old != nil && old.fresh(s.c.cfg.Now()) {
		return old, nil
	}
	return s.obtain(ctx, old)
}

// shared gets the fleet's token: the stored one when it is fresh and is not old, else one this
// process obtains under the grant lock and stores. While another process holds the lock, it
// waits and reads. A token obtained that the store could not save comes with the store's error.
func (s *tokenSource) shared(ctx context.Context, old *token) (*token, error) {
	for {
		t, err := s.store.load(ctx, s.key)
		if err != nil {
			return nil, err
		}
		if s.replaces(t, old) {
			return t, nil
		}
		unlock, ok, err := s.store.tryLock(ctx, s.key)
		if err != nil {
			return nil, err
		}
		if !ok {
			if err := sleep(ctx, lockPoll); err != nil {
				return nil, fmt.Errorf("client: waiting for another process's access token: %w", err)
			}
			continue
		}
		return s.grantLocked(ctx, old, unlock)
	}
}

// replaces reports whether the stored token t may stand in for old: it is fresh, and it is not
// old itself when old is due for renewal. (A fresh old is passed when a process on a token of
// its own tries the store again; finding its own token there, it keeps it.)
func (s *tokenSource) replaces(t, old *token) bool {
	now := s.c.cfg.Now()
	return t != nil && t.fresh(now) && !s.wasRefused(t.access) && (old == nil || t.access != old.access || old.fresh(now))
}

// grantLocked runs under the grant lock: it reads the store once more (the previous holder
// may just have stored a token), else obtains a token, refreshing the stored one if it has a
// refresh token, and stores it.
func (s *tokenSource) grantLocked(ctx context.Context, old *token, unlock func()) (*token, error) {
	defer unlock()
	t, err := s.store.load(ctx, s.key)
	if err != nil {
		return nil, err
	}
	if s.replaces(t, old) {
		return t, nil
	}
	if t == nil || s.wasRefused(t.access) {
		t = old
	}
	nt, err := s.obtain(ctx, t)
	if err != nil {
		return nil, err
	}
	if err := s.store.save(ctx, s.key, nt); err != nil {
		// The token works; the others will grant their own until the store is back.
		return nt, err
	}
	return nt, nil
}

// setFallback records whether the process runs on a token of its own, logging the changes.
func (s *tokenSource) setFallback(on bool) {
	s.mu.Lock()
	was := s.fallback
	s.fallback = on
	if on {
		s.retryStore = s.c.cfg.Now().Add(storeRetryInterval)
	}
	s.mu.Unlock()
	if was == on {
		return
	}
	s.c.obs.TokenStoreFallback(on)
	if on {
		s.c.cfg.Logger.Warn().Msg("token store unavailable: using a token of this process until it is back")
	} else {
		s.c.cfg.Logger.Info().Msg("token store available again: using the shared token")
	}
}

func (s *tokenSource) storeFailed(err error) {
	var se *StoreError
	op := "unknown"
	if errors.As(err, &se) {
		op = se.Op
	}
	cause := storeCause(err)
	s.c.obs.TokenStoreError(op, cause)
	s.c.cfg.Logger.Warn().Err(err).Str("cause", cause).Msg("token store failed")
}

// obtain refreshes old when it has a refresh token, and grants a new token otherwise or when
// the refresh fails (a refresh token works once and may have been revoked).
func (s *tokenSource) obtain(ctx context.Context, old *token) (*token, error) {
	if old != nil && old.refresh != "" {
		o, err := newOp("GET", "/v1.0/token/{refresh_token}", old.refresh)
		if err != nil {
			return nil, err
		}
		t, err := s.request(ctx, o)
		if err == nil {
			s.c.obs.TokenObtained(true)
			return t, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		s.c.cfg.Logger.Warn().Err(err).Msg("tuya token refresh failed; granting a new token")
	}
	o, err := newOp("GET", "/v1.0/token")
	if err != nil {
		return nil, err
	}
	o.query = url.Values{"grant_type": {"1"}}
	t, err := s.request(ctx, o)
	if err == nil {
		s.c.obs.TokenObtained(false)
	}
	return t, err
}

const (
	// documentedTokenLife is the lifetime of an access token the token page documents (7200 s).
	documentedTokenLife = 2 * time.Hour
	// maxTokenLife bounds a believable expire_time, in seconds: a year.
	maxTokenLife = 365 * 24 * 3600
)

// request runs one token call and checks its result: it needs an access token; a missing or
// unusable expire_time counts as the documented two hours.
func (s *tokenSource) request(ctx context.Context, o op) (*token, error) {
	var res struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		ExpireTime   int64  `json:"expire_time"`
	}
	start := s.c.cfg.Now()
	if err := s.c.run(ctx, o, &res, nil); err != nil {
		return nil, err
	}
	if res.AccessToken == "" {
		return nil, fmt.Errorf("client: %s %s: the cloud's answer to the access-token request holds no access token", o.method, o.route)
	}
	life := time.Duration(res.ExpireTime) * time.Second
	if res.ExpireTime <= 0 || res.ExpireTime > maxTokenLife {
		// One odd field does not fail every call: the documented lifetime is assumed, and a
		// token refused before then is renewed on its 1010.
		life = documentedTokenLife
		s.c.cfg.Logger.Warn().Str("route", o.route).Int64("expire_time", res.ExpireTime).Dur("assumed_ms", life).
			Msg("tuya access token answer has no usable expire_time; assuming the documented lifetime")
	}
	s.c.cfg.Logger.Debug().Str("route", o.route).Dur("lifetime_ms", life).Msg("tuya access token obtained")
	// The lifetime runs from when the cloud answered; counting from the request is the safe side.
	return &token{access: res.AccessToken, refresh: res.RefreshToken, expiry: start.Add(life), lifetime: life}, nil
}
