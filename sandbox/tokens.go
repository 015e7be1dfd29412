package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

const (
	defaultTokenTTL = 2 * time.Hour
	// refreshTTL bounds how long an unused refresh token is kept; the cloud's last longer than
	// access tokens.
	refreshTTL = 30 * 24 * time.Hour
)

// tokens are the issued token pairs, keyed both ways. Guarded by Sandbox.tokMu.
type tokens struct {
	access  map[string]*tokenPair
	refresh map[string]*tokenPair
}

type tokenPair struct {
	access, refresh         string
	expires, refreshExpires time.Time
}

func newTokens() tokens {
	return tokens{access: map[string]*tokenPair{}, refresh: map[string]*tokenPair{}}
}

// issue creates a pair valid for ttl, first forgetting pairs whose refresh token has lapsed so
// that a long soak does not grow the maps without bound.
func (t *tokens) issue(now time.Time, ttl time.Duration) *tokenPair {
	for _, p := range t.refresh {
		if !now.Before(p.refreshExpires) {
			t.remove(p)
		}
	}
	p := &tokenPair{
		access:         randomHex(16),
		refresh:        randomHex(16),
		expires:        now.Add(ttl),
		refreshExpires: now.Add(max(ttl, refreshTTL)),
	}
	t.access[p.access] = p
	t.refresh[p.refresh] = p
	return p
}

func (t *tokens) remove(p *tokenPair) {
	delete(t.access, p.access)
	delete(t.refresh, p.refresh)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails: crypto/rand panics rather than return an error
	return hex.EncodeToString(b)
}

// checkToken is the 1010 part of request verification.
func (s *Sandbox) checkToken(token string, now time.Time) error {
	s.tokMu.Lock()
	defer s.tokMu.Unlock()
	p, ok := s.tokens.access[token]
	switch {
	case !ok:
		return errTokenInvalid
	case !now.Before(p.expires):
		return errTokenExpired
	}
	return nil
}

// RevokeTokens invalidates every access and refresh token now, as another process sharing the
// project would by taking a new token.
func (s *Sandbox) RevokeTokens() {
	s.tokMu.Lock()
	s.tokens = newTokens()
	s.tokMu.Unlock()
}

type tokenResult struct {
	AccessToken  string `json:"access_token"`
	ExpireTime   int64  `json:"expire_time"`
	RefreshToken string `json:"refresh_token"`
	UID          string `json:"uid"`
}

func (s *Sandbox) tokenResult(p *tokenPair, now time.Time) tokenResult {
	return tokenResult{
		AccessToken:  p.access,
		ExpireTime:   int64(p.expires.Sub(now) / time.Second),
		RefreshToken: p.refresh,
		UID:          s.projectUID,
	}
}

func (s *Sandbox) tokenTTL() time.Duration {
	f := s.currentFaults()
	if f.TokenTTL > 0 {
		return f.TokenTTL
	}
	return defaultTokenTTL
}

// grantToken is GET /v1.0/token?grant_type=1.
func (s *Sandbox) grantToken(c *call) (any, error) {
	switch gt := c.query.Get("grant_type"); gt {
	case "":
		return nil, errEmpty("grant_type")
	case "1":
	default:
		return nil, &apiError{codeGrantType, "invalid grant type"}
	}
	ttl, revoke := s.tokenTTL(), s.currentFaults().RevokeOnGrant
	s.tokMu.Lock()
	if revoke {
		s.tokens = newTokens()
	}
	p := s.tokens.issue(c.now, ttl)
	s.tokMu.Unlock()
	s.countTokenGrant()
	return s.tokenResult(p, c.now), nil
}

// refreshToken is GET /v1.0/token/{refresh_token}: a new pair; the old access and refresh
// tokens stop working, so a refresh token works once.
func (s *Sandbox) refreshToken(c *call) (any, error) {
	ttl := s.tokenTTL()
	s.tokMu.Lock()
	old, ok := s.tokens.refresh[c.params["refresh_token"]]
	if !ok || !c.now.Before(old.refreshExpires) {
		s.tokMu.Unlock()
		return nil, errRefreshInvalid
	}
	s.tokens.remove(old)
	p := s.tokens.issue(c.now, ttl)
	s.tokMu.Unlock()
	s.countTokenRefresh()
	return s.tokenResult(p, c.now), nil
}
