package sandbox

import (
	"strings"
	"testing"
	"time"
)

func isHex32(s string) bool { return len(s) == 32 && strings.Trim(s, "0123456789abcdef") == "" }

func TestTokenGrant(t *testing.T) {
	tests := []struct {
		name    string
		ttl     time.Duration
		wantTTL int64
	}{
		{"default lifetime", 0, 7200},
		{"configured lifetime", 90 * time.Second, 90},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := client(t, Options{Faults: Faults{TokenTTL: tt.ttl}})
			tr := c.grant()
			if !isHex32(tr.AccessToken) || !isHex32(tr.RefreshToken) || tr.AccessToken == tr.RefreshToken {
				t.Errorf("tokens %q %q, want two different 32-hex strings", tr.AccessToken, tr.RefreshToken)
			}
			if tr.ExpireTime != tt.wantTTL {
				t.Errorf("expire_time %d, want %d", tr.ExpireTime, tt.wantTTL)
			}
			if !strings.HasPrefix(tr.UID, "bay") {
				t.Errorf("uid %q", tr.UID)
			}
			// Valid until the last instant, invalid from expiry on.
			c.clk.Advance(time.Duration(tt.wantTTL)*time.Second - time.Millisecond)
			c.ok("GET", "/v1.0/devices/"+DemoGatewayID, nil, nil)
			c.clk.Advance(time.Millisecond)
			env := c.fail(codeToken, "GET", "/v1.0/devices/"+DemoGatewayID, nil)
			if env.Msg != "token is expired" {
				t.Errorf("msg %q", env.Msg)
			}
			// The refresh token outlives the access token.
			var fresh tokenRes
			c.ok("GET", "/v1.0/token/"+tr.RefreshToken, nil, &fresh)
			c.token = fresh.AccessToken
			c.ok("GET", "/v1.0/devices/"+DemoGatewayID, nil, nil)
			if st := c.srv.Stats(); st.TokenGrants != 2 || st.TokenRefreshes != 1 || st.Rejected[codeToken] != 1 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func TestTokenGrantErrors(t *testing.T) {
	c := client(t, Options{})
	tests := []struct {
		path string
		code int
	}{
		{"/v1.0/token", codeEmpty},
		{"/v1.0/token?grant_type=2", codeGrantType},
		{"/v1.0/token?grant_type=", codeEmpty},
		{"/v1.0/token/", codePath},
		{"/v1.0/token/unknownrefreshtoken", codeToken},
	}
	for _, tt := range tests {
		c.fail(tt.code, "GET", tt.path, nil)
	}
}

func TestTokenRefresh(t *testing.T) {
	c := client(t, Options{})
	first := c.grant()
	other := c.grant() // a second pair, untouched by refreshing the first
	var second tokenRes
	c.ok("GET", "/v1.0/token/"+first.RefreshToken, nil, &second)
	if second.AccessToken == first.AccessToken || second.RefreshToken == first.RefreshToken {
		t.Fatal("refresh returned the old tokens")
	}
	if second.ExpireTime != 7200 {
		t.Errorf("expire_time %d", second.ExpireTime)
	}
	// The refresh token works once, and the old access token is gone.
	env := c.fail(codeToken, "GET", "/v1.0/token/"+first.RefreshToken, nil)
	if env.Msg != "refresh token invalid" {
		t.Errorf("msg %q", env.Msg)
	}
	c.token = first.AccessToken
	c.fail(codeToken, "GET", "/v1.0/devices/"+DemoGatewayID, nil)
	for _, tok := range []string{second.AccessToken, other.AccessToken} {
		c.token = tok
		c.ok("GET", "/v1.0/devices/"+DemoGatewayID, nil, nil)
	}
	// Unused refresh tokens lapse after 30 days.
	c.clk.Advance(refreshTTL)
	c.fail(codeToken, "GET", "/v1.0/token/"+second.RefreshToken, nil)
}

func TestRevokeTokens(t *testing.T) {
	c := client(t, Options{})
	tr := c.token
	refresh := c.grant().RefreshToken
	c.srv.RevokeTokens()
	for _, tok := range []string{tr, c.token} {
		c.token = tok
		c.fail(codeToken, "GET", "/v1.0/devices/"+DemoGatewayID, nil)
	}
	c.fail(codeToken, "GET", "/v1.0/token/"+refresh, nil)
	c.grant()
	c.ok("GET", "/v1.0/devices/"+DemoGatewayID, nil, nil)
}

func TestRevokeOnGrant(t *testing.T) {
	tests := []struct {
		revoke  bool
		oldCode int
	}{
		{false, 0},
		{true, codeToken},
	}
	for _, tt := range tests {
		c := client(t, Options{Faults: Faults{RevokeOnGrant: tt.revoke}})
		old := c.grant()
		c.grant()
		newTok := c.token
		for _, tok := range []string{old.AccessToken, newTok} {
			c.token = tok
			env := c.raw("GET", "/v1.0/devices/"+DemoGatewayID, nil)
			want := tt.oldCode
			if tok == newTok {
				want = 0
			}
			if env.Code != want {
				t.Errorf("revoke=%v: token %s... got code %d, want %d", tt.revoke, tok[:6], env.Code, want)
			}
		}
		env := c.raw("GET", "/v1.0/token/"+old.RefreshToken, nil)
		if env.Code != tt.oldCode {
			t.Errorf("revoke=%v: old refresh token got code %d, want %d", tt.revoke, env.Code, tt.oldCode)
		}
	}
}

// TestTokensPruned checks that lapsed pairs are forgotten, so that a long soak with many
// grants does not grow the token maps without bound.
func TestTokensPruned(t *testing.T) {
	c := client(t, Options{})
	for range 5 {
		c.grant()
	}
	c.clk.Advance(refreshTTL)
	c.grant()
	c.srv.tokMu.Lock()
	n, m := len(c.srv.tokens.access), len(c.srv.tokens.refresh)
	c.srv.tokMu.Unlock()
	if n != 1 || m != 1 {
		t.Fatalf("%d access and %d refresh tokens kept, want 1 and 1", n, m)
	}
}
