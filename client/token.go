package client

import (
	"context"
	"fmt"
	"net/url"
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

// tokenSource holds the process's one access token and makes sure that at most one grant or
// refresh runs at a time. The fetch runs in the goroutine of the caller that started it, under
// that caller's context, so no goroutine outlives a call.
type tokenSource struct {
	c  *Client
	mu sync.Mutex
	// cur is the current token; nil before the first grant and after a 1010.
	cur *token
	// fl is the fetch in progress, if any.
	fl *flight
}

// get returns a valid access token, fetching one if needed.
func (s *tokenSource) get(ctx context.Context) (string, error) {
	for {
		s.mu.Lock()
		now := s.c.cfg.Now()
		cur := s.cur
		if cur != nil && cur.fresh(now) {
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

		t, err := s.fetch(ctx, cur)

		s.mu.Lock()
		if err == nil {
			s.cur = t
		}
		s.fl = nil
		fl.err, fl.abandoned = err, err != nil && ctx.Err() != nil
		s.mu.Unlock()
		close(fl.done)
		if err != nil {
			return "", err
		}
		return t.access, nil
	}
}

// invalidate drops access if it is still the current token, so that concurrent callers that saw
// the same 1010 cause one new grant, not one each.
func (s *tokenSource) invalidate(access string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil && s.cur.access == access {
		s.cur = nil
	}
}

// fetch refreshes old when it has a refresh token, and grants a new token otherwise or when the
// refresh fails (a refresh token works once and may have been revoked).
func (s *tokenSource) fetch(ctx context.Context, old *token) (*token, error) {
	if old != nil && old.refresh != "" {
		o, err := newOp("GET", "/v1.0/token/{refresh_token}", old.refresh)
		if err != nil {
			return nil, err
		}
		t, err := s.request(ctx, o)
		if err == nil {
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
	return s.request(ctx, o)
}

// request runs one token call and checks its result.
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
	if res.AccessToken == "" || res.ExpireTime <= 0 {
		return nil, fmt.Errorf("client: %s %s: the token answer has no access_token or no positive expire_time", o.method, o.route)
	}
	life := time.Duration(res.ExpireTime) * time.Second
	s.c.cfg.Logger.Debug().Str("route", o.route).Dur("lifetime_ms", life).Msg("tuya access token obtained")
	// The lifetime runs from when the cloud answered; counting from the request is the safe side.
	return &token{access: res.AccessToken, refresh: res.RefreshToken, expiry: start.Add(life), lifetime: life}, nil
}
