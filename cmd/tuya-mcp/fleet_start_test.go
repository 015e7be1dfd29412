package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
)

// TestFleetStartRefusals: settings that cannot work are refused at start with exit status 2
// and a message that names the setting (the variable when the value came from the
// environment) and never shows a Redis password; a Redis that merely does not answer is not
// refused.
func TestFleetStartRefusals(t *testing.T) {
	const pw = "s3cretPW"
	rs := testutil.StartRedis(t, "--requirepass", pw)
	if r, err := rs.Do("AUTH", pw); err != nil || r != "+OK" {
		t.Fatalf("AUTH: %q %v", r, err)
	}
	// A user that may read but not write, on a server without a default password.
	open := testutil.StartRedis(t)
	if r, err := open.Do("ACL", "SETUSER", "reader", "on", ">"+pw, "~*", "+@read", "+@connection"); err != nil || r != "+OK" {
		t.Fatalf("ACL SETUSER: %q %v", r, err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "afile")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	redisAt := func(userinfo, rest string) string {
		return fmt.Sprintf("redis://%s127.0.0.1:%d%s", userinfo, rs.Port, rest)
	}
	cloud := []string{"--endpoint", "http://127.0.0.1:1", "--access-id", "id", "--access-secret", "secret"}
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"wrong password", nil, []string{"call", "--token-store", redisAt("default:wrong"+pw+"@", "/0")}, "wrong user name or password"},
		{"no password", nil, []string{"call", "--token-store", redisAt("", "/0")}, "requires a password"},
		{"read-only user", nil, []string{"call", "--token-store", fmt.Sprintf("redis://reader:%s@127.0.0.1:%d/0", pw, open.Port)},
			"the Redis user lacks rights"},
		{"no such database", nil, []string{"call", "--token-store", redisAt("default:"+pw+"@", "/99")}, "no such database"},
		{"TLS to a plain server", nil, []string{"call", "--token-store", "rediss://default:" + pw + "@" + strings.TrimPrefix(redisAt("", "/0"), "redis://")},
			"TLS handshake failed: is the server speaking TLS?"},
		{"port not a number", nil, []string{"call", "--token-store", "redis://:" + pw + "@x:notaport/0"}, `invalid port ":notaport"`},
		{"database not a number", nil, []string{"call", "--token-store", redisAt(":"+pw+"@", "/abc")}, `database "abc" is not a number`},
		{"unknown option", nil, []string{"call", "--token-store", redisAt(":"+pw+"@", "/0?foo=bar")}, "unexpected option: foo"},
		{"port out of range", nil, []string{"call", "--token-store", "redis://:" + pw + "@127.0.0.1:99999/0"}, `port "99999"`},
		{"store a regular file", nil, []string{"call", "--token-store", "file:" + file}, `--token-store "file:` + file + `": the path (or a parent) is not a directory`},
		{"store under a regular file", nil, []string{"call", "--token-store", "file:" + file + "/sub"}, "not a directory"},
		{"store not creatable", nil, []string{"call", "--token-store", "file:/proc/nope"}, `--token-store "file:/proc/nope": cannot make a directory there`},
		{"store from the environment", []string{"TUYA_MCP_TOKEN_STORE=file:" + file}, []string{"call"}, `TUYA_MCP_TOKEN_STORE="file:` + file + `": `},
		{"unknown store", []string{"TUYA_MCP_TOKEN_STORE=bogus"}, []string{"call"}, `TUYA_MCP_TOKEN_STORE="bogus": want memory`},
		{"unknown store flag", nil, []string{"call", "--token-store", "bogus"}, `--token-store "bogus": want memory`},
		{"negative rate", []string{"TUYA_MCP_RATE_LIMIT=-1"}, []string{"call"}, `TUYA_MCP_RATE_LIMIT="-1": must not be negative`},
		{"negative rate flag", nil, []string{"call", "--rate-limit", "-1"}, `--rate-limit "-1": must not be negative`},
		{"rate not a number", []string{"TUYA_MCP_RATE_LIMIT=abc"}, []string{"call"}, `TUYA_MCP_RATE_LIMIT="abc": not a whole number`},
		{"rate not a number flag", nil, []string{"call", "--rate-limit", "abc"}, `--rate-limit "abc": not a whole number`},
		{"metrics not an address", nil, []string{"http", "--metrics-listen", "notanaddr"}, `--metrics-listen "notanaddr": want host:port`},
		{"metrics a URL", nil, []string{"http", "--metrics-listen", "http://127.0.0.1:9464"}, "want host:port"},
		{"metrics port out of range", nil, []string{"http", "--metrics-listen", "127.0.0.1:99999"}, "want host:port"},
		{"metrics on every interface", nil, []string{"http", "--metrics-listen", "0.0.0.0:0"}, "refusing to serve metrics on 0.0.0.0:0"},
		{"metrics on every interface, no host", []string{"TUYA_MCP_METRICS_LISTEN=:0"}, []string{"stdio"}, "--metrics-allow-remote"},
		{"metrics port in use", nil, []string{"http", "--listen", "127.0.0.1:0", "--metrics-listen", busy.Addr().String()}, "address already in use"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append(tt.args[:1:1], cloud...), tt.args[1:]...)
			if args[0] == "call" {
				args = append(args, "device_list")
			}
			o := runBin(t, append([]string{"HOME=" + t.TempDir()}, tt.env...), args...)
			if o.code != 2 || !strings.Contains(o.stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", o.code, o.stderr, tt.want)
			}
			if strings.Contains(o.stderr, pw) {
				t.Fatalf("the password is in the message: %s", o.stderr)
			}
		})
	}
}

// TestFleetStartsWithoutRedis: a Redis that does not answer at start is an outage, not a
// setting's fault: the server starts, says so, and serves; so does a metrics address other
// machines can reach when --metrics-allow-remote allows it, with a warning.
func TestFleetStartsWithoutRedis(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close()
	p := startBin(t, "http", "--listen", "127.0.0.1:0", "--endpoint", "http://127.0.0.1:1", "--access-id", "id",
		"--access-secret", "secret", "--token-store", "redis://"+dead+"/0", "--metrics-listen", "0.0.0.0:0", "--metrics-allow-remote")
	p.url(t)
	for _, want := range []string{"token store unavailable at start", `"level":"warn","reachable_from"`} {
		if !strings.Contains(p.stderr(), want) {
			t.Errorf("the start-up log lacks %q:\n%s", want, p.stderr())
		}
	}
}
