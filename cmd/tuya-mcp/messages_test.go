package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// internalPrefix matches a package's prefix ("tools: ", "client: config: ") or a Go parser's
// wording at the start of a message, after the command's own "tuya-mcp CMD: ".
var internalPrefix = regexp.MustCompile(`^(tools|client|sandbox|config|flag|invalid params|parse|listen tcp)\b|(client|sandbox|config): |tool not found|provided but not defined|parse error|Go struct|net/http|^call needs`)

func TestMessagesInTheUsersWords(t *testing.T) {
	sb := startSandbox(t, sandbox.Options{})
	creds := []string{"--access-id", "id", "--access-secret", "secret"}
	stateFile := func(name, content string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	wrongType := stateFile("wrongtype.json", `{"version":1,"devices":[]}`)
	unknownField := stateFile("unknown.json", `{"version":1,"gadgets":{}}`)
	emptyState := stateFile("empty.json", "")
	notState := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(notState, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("<html><body>Not here</body></html>"))
	}))
	t.Cleanup(html.Close)
	noToken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"success":true,"result":{"expire_time":7200}}`))
	}))
	t.Cleanup(noToken.Close)
	noSchema := []string{"--endpoint", sb.URL, "--access-id", sandbox.DemoAccessID, "--access-secret", sandbox.DemoAccessSecret}
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantCode int
		want     []string
	}{
		{"hidden by --read-only", nil, []string{"call", "--sandbox", "--read-only", "device_delete", "device_id=x"}, 2,
			[]string{"device_delete is hidden by --read-only (TUYA_MCP_READ_ONLY)"}},
		{"hidden by --read-only, by alias", map[string]string{"TUYA_MCP_READ_ONLY": "yes"},
			[]string{"call", "--sandbox", "deviceUser.delete", "device_id=x", "user_id=y"}, 2,
			[]string{"device_user_delete is hidden by --read-only"}},
		{"left out by --toolsets", nil, []string{"call", "--sandbox", "--toolsets", "users", "device_get", "device_id=x"}, 2,
			[]string{"device_get is in the devices toolset, which --toolsets (TUYA_MCP_TOOLSETS) users leaves out"}},
		{"left out by --tools", nil, []string{"call", "--sandbox", "--tools", "device_get", "device_list"}, 2,
			[]string{"device_list is not among the tools --tools (TUYA_MCP_TOOLS) offers: device_get"}},
		{"endpoint without a scheme", map[string]string{"TUYA_ENDPOINT": "127.0.0.1:1"}, append([]string{"call"}, append(creds, "device_list")...), 2,
			[]string{`TUYA_ENDPOINT (--endpoint) "127.0.0.1:1" must be a URL such as https://openapi.tuyaeu.com`}},
		{"endpoint of another scheme", nil, append([]string{"check", "--endpoint", "ftp://openapi.tuyaeu.com"}, creds...), 2,
			[]string{"must be a URL such as https://openapi.tuyaeu.com"}},
		{"endpoint without a host", nil, append([]string{"stdio", "--endpoint", "https://"}, creds...), 2,
			[]string{"must be a URL such as"}},
		{"unknown toolset", nil, []string{"tools", "--toolsets", "devices,foo"}, 2,
			[]string{`--toolsets (TUYA_MCP_TOOLSETS): "foo" is not a toolset; the toolsets are users, devices, device_users`}},
		{"misspelt toolset", map[string]string{"TUYA_MCP_TOOLSETS": "device_user"}, []string{"call", "--sandbox", "device_list"}, 2,
			[]string{`"device_user" is not a toolset (did you mean device_users?)`}},
		{"misspelt tool", nil, []string{"tools", "--tools", "devce_get"}, 2,
			[]string{`--tools (TUYA_MCP_TOOLS): "devce_get" is not a tool (did you mean device_get?)`}},
		{"nothing left", nil, []string{"http", "--sandbox", "--read-only", "--tools", "device_delete"}, 2,
			[]string{"--toolsets, --tools and --read-only together leave no tool to offer"}},
		{"misspelt tool to call", nil, []string{"call", "--sandbox", "device_lst"}, 2,
			[]string{`unknown tool "device_lst" (did you mean device_list?); ` + "`tuya-mcp tools` lists them"}},
		{"misspelt flag", nil, []string{"call", "--schem", "x", "device_list"}, 2,
			[]string{"unknown flag --schem (did you mean --schema?)"}},
		{"flag without its value", nil, []string{"check", "--schema"}, 2, []string{"--schema needs a value"}},
		{"not a number", nil, []string{"sandbox", "--fail-rate", "abc"}, 2, []string{`--fail-rate "abc": not a number`}},
		{"not a whole number", nil, []string{"sandbox", "--seed", "1.5"}, 2, []string{`--seed "1.5": not a whole number`}},
		{"not a duration", nil, []string{"sandbox", "--latency", "5"}, 2, []string{`--latency "5": not a duration such as 30s`}},
		{"not a CIDR", nil, []string{"sandbox", "--ip-allowlist", "10.0.0.0/8,10.0.0.1"}, 2,
			[]string{`10.0.0.1 is not a CIDR such as 10.0.0.0/8`}},
		{"state in a missing directory", nil, []string{"sandbox", "--listen", "127.0.0.1:0", "--state", "/nonexistent/dir/s.json"}, 1,
			[]string{"cannot save the state in /nonexistent/dir/s.json: no such file or directory"}},
		{"listen address without a port", nil, []string{"sandbox", "--listen", "localhost"}, 1,
			[]string{"cannot listen on localhost (--listen): missing port in address; give HOST:PORT"}},
		{"listen address not of this machine", nil, []string{"sandbox", "--listen", "192.0.2.1:0"}, 1,
			[]string{"cannot listen on 192.0.2.1:0 (--listen): ", "assign requested address"}},
		{"http on an address in use", nil, []string{"http", "--sandbox", "--listen", strings.TrimPrefix(sb.URL, "http://")}, 1,
			[]string{"cannot listen on 127.0.0.1:", "(--listen): ", "address already in use"}},
		{"endpoint with a password", map[string]string{"TUYA_ENDPOINT": "http://user:hunter2pw@127.0.0.1:9797"},
			append([]string{"check"}, creds...), 2,
			[]string{`TUYA_ENDPOINT (--endpoint) "http://***@127.0.0.1:9797" must be a URL such as https://openapi.tuyaeu.com`,
				"without user info, query or fragment"}},
		{"endpoint with a user", nil, append([]string{"call", "--endpoint", "https://hunter2pw@openapi.tuyaeu.com/"},
			append(creds, "device_list")...), 2, []string{`"https://***@openapi.tuyaeu.com/"`}},
		{"endpoint with a password that does not parse", nil, append([]string{"call", "--endpoint", "http://u:hunter2pw@host:port"},
			append(creds, "device_list")...), 2, []string{`"http://***@host:port"`}},
		{"endpoint with a query", nil, append([]string{"stdio", "--endpoint", "https://openapi.tuyaeu.com?x=1"}, creds...), 2,
			[]string{"without user info, query or fragment"}},
		{"endpoint with a fragment", nil, append([]string{"check", "--endpoint", "https://openapi.tuyaeu.com#frag"}, creds...), 2,
			[]string{"without user info, query or fragment"}},
		{"access id with a control character", map[string]string{"TUYA_ACCESS_ID": "abc\x01def"},
			[]string{"check", "--access-secret", "s", "--region", "eu"}, 2,
			[]string{"TUYA_ACCESS_ID (--access-id) has a control character"}},
		{"call without a tool", nil, []string{"call", "--sandbox"}, 2, []string{"missing the tool to run: tuya-mcp call TOOL"}},
		{"JSON among key=value pairs", nil, []string{"call", "--sandbox", "device_user_add", "device_id=X", `{"nick_name":1}`}, 2,
			[]string{`argument {"nick_name":1}: give either one JSON object or key=value pairs, not both`}},
		{"misspelt --version", nil, []string{"--versoin"}, 2, []string{"unknown flag --versoin (did you mean --version?)"}},
		{"tools takes no credentials", nil, []string{"tools", "--access-id", "x"}, 2, []string{"unknown flag --access-id"}},
		{"number beyond a float64", nil, []string{"call", "--sandbox", "device_list", `{"page_size": 1e400}`}, 1,
			[]string{"page_size: must be between 1 and 100 (got 1e400)"}},
		{"number beyond a float64, key=value", nil, []string{"call", "--sandbox", "device_list", "page_size=-1e400"}, 1,
			[]string{"page_size: must be between 1 and 100 (got -1e400)"}},
		{"nested number beyond a float64", nil, []string{"call", "--sandbox", "device_command_send", "device_id=" + sandbox.DemoStripID,
			`commands=[{"code":"switch_1","value":1e999}]`}, 1, []string{"1e999"}},
		{"confirmation without a terminal", nil, []string{"call", "--sandbox", "--confirm-destructive", "device_delete",
			"device_id=" + sandbox.DemoStripID}, 1,
			[]string{"device_delete was not run: cannot ask for confirmation: stdin is not a terminal", "without --confirm-destructive"}},
		{"state file that is not one", nil, []string{"sandbox", "--listen", "127.0.0.1:0", "--state", notState}, 1,
			[]string{"cannot load the state from " + notState + ": it is not a state file saved by `tuya-mcp sandbox --state` (it is not JSON text: invalid character 'r' looking for beginning of value at byte 1)"}},
		{"state file with a field of another type", nil, []string{"sandbox", "--listen", "127.0.0.1:0", "--state", wrongType}, 1,
			[]string{"(its field devices holds a JSON array, not what a state file of this version has there)"}},
		{"state file with an unknown field", nil, []string{"sandbox", "--listen", "127.0.0.1:0", "--state", unknownField}, 1,
			[]string{`(it has a field "gadgets" that a state file of this version does not have)`}},
		{"empty state file", nil, []string{"sandbox", "--listen", "127.0.0.1:0", "--state", emptyState}, 1,
			[]string{"(it is empty)"}},
		{"endpoint answering HTML", nil, append([]string{"call", "--endpoint", html.URL, "--schema", "x"}, append(creds, "device_list")...), 1,
			[]string{"device_list failed: the endpoint did not answer like the Tuya cloud (GET /v1.0/token: HTTP 404 Not Found"}},
		{"token answer without a token", nil, append([]string{"call", "--endpoint", noToken.URL, "--schema", "x"}, append(creds, "device_list")...), 1,
			[]string{"device_list failed: the cloud's answer to the access-token request holds no access token. Retry later"}},
		{"missing app schema", nil, append(append([]string{"call"}, noSchema...), "user_list"), 1,
			[]string{"schema: required", "TUYA_APP_SCHEMA", "--schema"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, tt.env, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, stdout, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if strings.Contains(stdout+stderr, "hunter2pw") {
				t.Errorf("a password is printed:\n%s%s", stdout, stderr)
			}
			for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
				msg := regexp.MustCompile(`^tuya-mcp( \w+)?: `).ReplaceAllString(line, "")
				if internalPrefix.MatchString(msg) {
					t.Errorf("internal wording reaches the user: %q", line)
				}
			}
		})
	}
}

// TestCallStderrIsTheMessage: with stderr not a terminal, call prints the message alone, unless
// a log level is asked for; then log lines give durations with their unit in the key.
func TestCallStderrIsTheMessage(t *testing.T) {
	sb := startSandbox(t, sandbox.Options{})
	unreachable := []string{"call", "--endpoint", "http://127.0.0.1:1", "--access-id", "a", "--access-secret", "b",
		"--schema", "x", "--call-timeout", "5s", "device_list"}
	tests := []struct {
		name      string
		env       map[string]string
		args      []string
		wantCode  int
		wantLines int      // 0: at least one log line
		wantKeys  []string // in some log line
	}{
		{"quiet by default", nil, unreachable, 1, 1, nil},
		{"logs on request", nil, append([]string{"call", "--log-level", "warn"}, unreachable[1:]...), 1, 0,
			[]string{"backoff_ms"}},
		{"logs on request, by environment", map[string]string{"TUYA_MCP_LOG_LEVEL": "debug"},
			append(append([]string{"call"}, demoCloud(sb.URL)...), "device_list", "page_size=1"), 0, 0,
			[]string{"duration_ms", "lifetime_ms"}},
	}
	unitless := regexp.MustCompile(`^(duration|backoff|lifetime|grace|latency|elapsed|timeout|delay)$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, tt.env, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, tt.wantCode, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if tt.wantLines > 0 {
				if len(lines) != tt.wantLines || strings.HasPrefix(lines[0], "{") {
					t.Errorf("stderr has %d lines, want the message alone:\n%s", len(lines), stderr)
				}
				return
			}
			keys := map[string]bool{}
			for _, l := range lines {
				var m map[string]any
				if json.Unmarshal([]byte(l), &m) != nil {
					continue // the message
				}
				for k := range m {
					keys[k] = true
					if unitless.MatchString(k) {
						t.Errorf("log key %q has no unit: %s", k, l)
					}
					if strings.HasSuffix(k, "_s") {
						t.Errorf("log key %q is in seconds; the README says durations are in ms: %s", k, l)
					}
				}
			}
			for _, k := range tt.wantKeys {
				if !keys[k] {
					t.Errorf("no log line has %q:\n%s", k, stderr)
				}
			}
		})
	}
}
