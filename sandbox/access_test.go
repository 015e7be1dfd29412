package sandbox

import (
	"net/netip"
	"strings"
	"testing"
)

func TestProjectAccessSettings(t *testing.T) {
	e := secs(testEpoch)
	usersPath := "/v2.0/apps/" + DemoSchema + "/users" + q("page_no", "1", "page_size", "1", "start_time", secs(testEpoch.Add(-day)), "end_time", e)
	devicePath := "/v1.0/devices/" + DemoStripID
	tests := []struct {
		name string
		opts Options
		// want maps a path to its expected code; 0 is success.
		want    map[string]int
		wantMsg string
		// noGrant: the token grant itself is refused, so the test holds no token.
		noGrant bool
	}{
		{name: "unsubscribed prefix", opts: Options{Unsubscribed: []string{"/v1.0/devices"}},
			want:    map[string]int{usersPath: 0, devicePath: codeNotSubscribed, "/v1.0/devices" + q("page_size", "1"): codeNotSubscribed},
			wantMsg: "No permissions. This API is not subscribed."},
		{name: "two prefixes", opts: Options{Unsubscribed: []string{"/v2.0/apps/", "/v1.0/devices/" + DemoStripID + "/users"}},
			want: map[string]int{usersPath: codeNotSubscribed, devicePath: 0, devicePath + "/users": codeNotSubscribed}},
		{name: "allowlisted address", opts: Options{IPAllowlist: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}},
			want: map[string]int{usersPath: 0, devicePath: 0}},
		{name: "address outside the allowlist", opts: Options{IPAllowlist: []netip.Prefix{
			netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}},
			want:    map[string]int{"/v1.0/token" + q("grant_type", "1"): codeIPDenied, devicePath: codeIPDenied},
			wantMsg: "your ip(127.0.0.1) don't have access to this API", noGrant: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, clk := start(t, tt.opts)
			c := newTC(t, srv, clk)
			if !tt.noGrant {
				c.grant() // never refused for a subscription
			}
			for path, code := range tt.want {
				if code == 0 {
					c.ok("GET", path, nil, nil)
					continue
				}
				env := c.fail(code, "GET", path, nil)
				if !strings.Contains(env.Msg, tt.wantMsg) {
					t.Errorf("GET %s: message %q, want %q", path, env.Msg, tt.wantMsg)
				}
			}
		})
	}
}
