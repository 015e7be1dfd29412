package main

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// creds is a complete cloud configuration in environment form.
func creds(extra ...string) map[string]string {
	env := map[string]string{"TUYA_ACCESS_ID": "envid", "TUYA_ACCESS_SECRET": "envsecret", "TUYA_REGION": "eu"}
	for _, kv := range extra {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return env
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		check func(t *testing.T, c Config)
	}{
		{
			name: "stdio is the default command; region gives the endpoint",
			env:  creds(),
			check: func(t *testing.T, c Config) {
				want := Config{
					Command: cmdStdio, AccessID: "envid", AccessSecret: "envsecret", Region: "eu",
					Endpoint: "https://openapi.tuyaeu.com", CallTimeout: defaultCallTimeout, LogLevel: zerolog.InfoLevel,
					TokenStore: storeFile,
				}
				if !reflect.DeepEqual(c, want) {
					t.Errorf("got %+v\nwant %+v", c, want)
				}
			},
		},
		{
			name: "explicit stdio with flags before the environment",
			args: []string{"stdio", "--access-id", "flagid", "--region", "us-e", "--schema", "app1"},
			env:  creds("TUYA_APP_SCHEMA=envschema"),
			check: func(t *testing.T, c Config) {
				if c.AccessID != "flagid" || c.AccessSecret != "envsecret" || c.Schema != "app1" ||
					c.Endpoint != "https://openapi-ueaz.tuyaus.com" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "endpoint overrides region",
			args: []string{"--endpoint", "http://127.0.0.1:9797"},
			env:  creds("TUYA_ENDPOINT=http://proxy.example"),
			check: func(t *testing.T, c Config) {
				if c.Endpoint != "http://127.0.0.1:9797" {
					t.Errorf("endpoint %q", c.Endpoint)
				}
			},
		},
		{
			name: "endpoint from the environment without region",
			env: map[string]string{"TUYA_ACCESS_ID": "i", "TUYA_ACCESS_SECRET": "s",
				"TUYA_ENDPOINT": "http://proxy.example"},
			check: func(t *testing.T, c Config) {
				if c.Endpoint != "http://proxy.example" {
					t.Errorf("endpoint %q", c.Endpoint)
				}
			},
		},
		{
			name: "booleans, lists and durations from the environment",
			env: creds("TUYA_MCP_READ_ONLY=yes", "TUYA_MCP_EXPOSE_LOCAL_KEYS=1", "TUYA_MCP_TOOLSETS=users, devices,",
				"TUYA_MCP_TOOLS=device_get,deviceUser.list", "TUYA_MCP_CALL_TIMEOUT=1m", "TUYA_MCP_LOG_LEVEL=DEBUG",
				"TUYA_MCP_CONFIRM_DESTRUCTIVE=true"),
			check: func(t *testing.T, c Config) {
				if !c.ReadOnly || !c.ExposeLocalKeys || !c.ConfirmDestructive || c.CallTimeout != time.Minute || c.LogLevel != zerolog.DebugLevel {
					t.Errorf("got %+v", c)
				}
				if !reflect.DeepEqual(c.Toolsets, []string{"users", "devices"}) ||
					!reflect.DeepEqual(c.Tools, []string{"device_get", "deviceUser.list"}) {
					t.Errorf("lists %q %q", c.Toolsets, c.Tools)
				}
			},
		},
		{
			name: "flags win over the environment",
			args: []string{"--read-only=false", "--expose-local-keys=no", "--toolsets", "device_users",
				"--call-timeout", "5s", "--log-level", "error"},
			env: creds("TUYA_MCP_READ_ONLY=true", "TUYA_MCP_EXPOSE_LOCAL_KEYS=yes", "TUYA_MCP_TOOLSETS=users",
				"TUYA_MCP_LOG_LEVEL=debug"),
			check: func(t *testing.T, c Config) {
				if c.ReadOnly || c.ExposeLocalKeys || c.CallTimeout != 5*time.Second || c.LogLevel != zerolog.ErrorLevel ||
					!reflect.DeepEqual(c.Toolsets, []string{"device_users"}) {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "a bare boolean flag is true",
			args: []string{"--read-only", "--expose-local-keys"},
			env:  creds("TUYA_MCP_READ_ONLY=0"),
			check: func(t *testing.T, c Config) {
				if !c.ReadOnly || !c.ExposeLocalKeys {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "--sandbox needs no credentials",
			args: []string{"--sandbox"},
			env:  map[string]string{},
			check: func(t *testing.T, c Config) {
				if !c.Sandbox || c.Endpoint != "" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "http defaults to loopback",
			args: []string{"http", "--sandbox"},
			env:  map[string]string{},
			check: func(t *testing.T, c Config) {
				if c.Command != cmdHTTP || c.Listen != defaultHTTPListen || c.HTTPToken != "" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "http on a public address with a token from the environment",
			args: []string{"http", "--listen", "0.0.0.0:8080", "--allowed-origins", "https://a.example, https://b.example"},
			env:  creds("TUYA_MCP_HTTP_TOKEN=tok"),
			check: func(t *testing.T, c Config) {
				if c.HTTPToken != "tok" || !reflect.DeepEqual(c.AllowedOrigins, []string{"https://a.example", "https://b.example"}) {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "tools needs no credentials",
			args: []string{"tools", "--json", "--read-only"},
			env:  map[string]string{"TUYA_ACCESS_ID": "x", "TUYA_ENDPOINT": "not a URL"},
			check: func(t *testing.T, c Config) {
				if c.Command != cmdTools || !c.JSON || !c.ReadOnly || c.LogLevel != zerolog.WarnLevel {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "sandbox defaults: demo credentials, ignoring the cloud's environment",
			args: []string{"sandbox"},
			env:  creds(),
			check: func(t *testing.T, c Config) {
				if c.AccessID != sandbox.DemoAccessID || c.AccessSecret != sandbox.DemoAccessSecret ||
					c.Listen != defaultSandboxListen || c.Faults.Seed != 1 {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "sandbox faults and state",
			args: []string{"sandbox", "--listen", "127.0.0.1:0", "--state", "s.json", "--latency", "50ms",
				"--fail-rate", "0.25", "--qps", "10", "--token-ttl", "1m", "--revoke-on-grant", "--drop-rate", "0.1", "--seed", "7",
				"--quirks", "numbers,nulls"},
			env: map[string]string{},
			check: func(t *testing.T, c Config) {
				want := sandbox.Faults{Latency: 50 * time.Millisecond, FailRate: 0.25, QPS: 10, TokenTTL: time.Minute,
					RevokeOnGrant: true, DropRate: 0.1, Seed: 7, Quirks: sandbox.Quirks{Numbers: true, Nulls: true}}
				if c.Faults != want || c.StateFile != "s.json" || c.Listen != "127.0.0.1:0" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "version",
			args: []string{"version"},
			env:  map[string]string{},
			check: func(t *testing.T, c Config) {
				if c.Command != cmdVersion {
					t.Errorf("got %+v", c)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, tt.env)
			if err != nil {
				t.Fatalf("parseConfig: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string // substrings of the message
	}{
		{"no credentials", nil, map[string]string{},
			[]string{"TUYA_ACCESS_ID", "TUYA_ACCESS_SECRET", "TUYA_REGION", "TUYA_ENDPOINT", "--sandbox"}},
		{"no credentials for http", []string{"http"}, map[string]string{},
			[]string{"TUYA_ACCESS_ID", "--sandbox"}},
		{"no credentials for call", []string{"call", "device_list"}, map[string]string{},
			[]string{"TUYA_ACCESS_ID", "--sandbox"}},
		{"only the id", nil, map[string]string{"TUYA_ACCESS_ID": "x"},
			[]string{"TUYA_ACCESS_SECRET", "TUYA_REGION"}},
		{"no region or endpoint", nil, map[string]string{"TUYA_ACCESS_ID": "x", "TUYA_ACCESS_SECRET": "y"},
			[]string{"TUYA_REGION", "cn, us, us-e, eu, eu-w, in, sg", "TUYA_ENDPOINT"}},
		{"unknown region", []string{"--region", "mars"}, creds(),
			[]string{`"mars"`, "eu-w"}},
		{"bad boolean in the environment", nil, creds("TUYA_MCP_READ_ONLY=maybe"),
			[]string{"TUYA_MCP_READ_ONLY", "maybe", "yes"}},
		{"bad boolean in the environment, even with --sandbox", []string{"--sandbox"},
			map[string]string{"TUYA_MCP_EXPOSE_LOCAL_KEYS": "2"}, []string{"TUYA_MCP_EXPOSE_LOCAL_KEYS"}},
		{"bad boolean flag", []string{"--read-only=maybe"}, creds(), []string{"read-only"}},
		{"bad duration", nil, creds("TUYA_MCP_CALL_TIMEOUT=soon"), []string{"TUYA_MCP_CALL_TIMEOUT"}},
		{"negative call timeout", []string{"--call-timeout=-1s"}, creds(), []string{"call-timeout"}},
		{"bad log level", nil, creds("TUYA_MCP_LOG_LEVEL=loud"), []string{"TUYA_MCP_LOG_LEVEL"}},
		{"unknown flag", []string{"--colour"}, creds(), []string{"colour"}},
		{"unknown command", []string{"serve"}, creds(), []string{`unknown command "serve"`}},
		{"stray argument", []string{"stdio", "extra"}, creds(), []string{`"extra"`}},
		{"public http without a token", []string{"http", "--listen", "0.0.0.0:8080"}, creds(),
			[]string{"0.0.0.0:8080", "--http-token", "TUYA_MCP_HTTP_TOKEN"}},
		{"all interfaces without a token", []string{"http", "--sandbox", "--listen", ":8080"}, nil,
			[]string{"token"}},
		{"a host name without a token", []string{"http", "--sandbox", "--listen", "myhost:8080"}, nil,
			[]string{"token"}},
		{"tools with a cloud flag", []string{"tools", "--access-secret", "x"}, nil, []string{"unknown flag --access-secret"}},
		{"tools with --sandbox", []string{"tools", "--sandbox"}, nil, []string{"unknown flag --sandbox"}},
		{"tools --json --markdown", []string{"tools", "--json", "--markdown"}, nil, []string{"exclude"}},
		{"call without a tool", []string{"call", "--sandbox"}, nil, []string{"missing the tool to run"}},
		{"call an unknown tool", []string{"call", "--sandbox", "frobnicate"}, nil,
			[]string{`"frobnicate"`, "tuya-mcp tools"}},
		{"call with a bare word", []string{"call", "--sandbox", "device_get", "abc"}, nil, []string{`"abc"`, "key=value"}},
		{"call with a flag after the tool", []string{"call", "--sandbox", "device_get", "device_id=a", "--read-only"}, nil,
			[]string{"before the tool name"}},
		{"call with a key twice", []string{"call", "--sandbox", "device_get", "device_id=a", "device_id=b"}, nil,
			[]string{"twice"}},
		{"call with a JSON key twice", []string{"call", "--sandbox", "device_list", `{"page_size":1,"page_size":2}`}, nil,
			[]string{`"page_size" given twice`}},
		{"call with a JSON key twice inside", []string{"call", "--sandbox", "device_command_send", `{"device_id":"d","commands":[{"code":"a","value":1,"code":"b"}]}`}, nil,
			[]string{`"commands.code" given twice`}},
		{"call with a value not UTF-8", []string{"call", "--sandbox", "device_rename", "device_id=d", "name=Lamp \xff"}, nil,
			[]string{"not valid UTF-8 (byte 0xFF at offset 10)"}},
		{"call with a key not UTF-8", []string{"call", "--sandbox", "device_rename", "device_id=d", "na\xc3me=Lamp"}, nil,
			[]string{"not valid UTF-8 (byte 0xC3 at offset 2)"}},
		{"call with JSON not UTF-8", []string{"call", "--sandbox", "device_rename", "{\"device_id\":\"d\",\"name\":\"Lamp \xff\"}"}, nil,
			[]string{"not valid UTF-8 (byte 0xFF at offset 30)"}},
		{"call with JSON holding a lone surrogate", []string{"call", "--sandbox", "device_rename", `{"device_id":"d","name":"Lamp \ud800"}`}, nil,
			[]string{`the escape \ud800 at offset 30 is half of a UTF-16 surrogate pair`}},
		{"call with a JSON value holding a lone surrogate", []string{"call", "--sandbox", "device_list", `device_ids=["\udc00x"]`}, nil,
			[]string{`argument device_ids: the JSON value is not Unicode text: the escape \udc00`}},
		{"call with bad JSON", []string{"call", "--sandbox", "device_get", `{"device_id":`}, nil, []string{"JSON"}},
		{"call with JSON and more", []string{"call", "--sandbox", "device_get", `{"device_id":"a"} {}`}, nil,
			[]string{"trailing"}},
		{"sandbox empty access id", []string{"sandbox", "--access-id", ""}, nil, []string{"--access-id is empty"}},
		{"sandbox access secret of spaces", []string{"sandbox", "--access-secret", "  "}, nil, []string{"--access-secret is empty"}},
		{"sandbox access id with a control character", []string{"sandbox", "--access-id", "my\x01id"}, nil,
			[]string{"TUYA_ACCESS_ID (--access-id) has a control character"}},
		{"sandbox fail rate", []string{"sandbox", "--fail-rate", "1.5"}, nil, []string{"--fail-rate"}},
		{"sandbox unknown quirk", []string{"sandbox", "--quirks", "bools,typos"}, nil, []string{"-quirks", `"typos"`}},
		{"sandbox negative latency", []string{"sandbox", "--latency", "-1s", "--drop-rate", "-0.1"}, nil,
			[]string{"--latency", "--drop-rate"}},
		{"version takes no arguments", []string{"version", "now"}, nil, []string{`"now"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig(tt.args, tt.env)
			var ue *usageError
			if !errors.As(err, &ue) {
				t.Fatalf("want a usage error, got %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "envsecret") {
				t.Errorf("message reveals the secret: %q", err)
			}
		})
	}
}

func TestParseConfigHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"help"}, {"http", "-h"}, {"call", "--help"}, {"sandbox", "-h"}, {"tools", "-h"}} {
		_, err := parseConfig(args, nil)
		var h *helpRequest
		if !errors.As(err, &h) {
			t.Fatalf("%q: want help, got %v", args, err)
		}
		if !strings.Contains(h.usage, "Usage") {
			t.Errorf("%q: usage text %q", args, h.usage)
		}
	}
	// Help shows where a value can come from, never the value: it may be a secret.
	_, err := parseConfig([]string{"-h"}, creds("TUYA_MCP_HTTP_TOKEN=envtoken"))
	if u := err.(*helpRequest).usage; strings.Contains(u, "envsecret") || strings.Contains(u, "envid") {
		t.Errorf("usage shows values from the environment:\n%s", u)
	}
	_, err = parseConfig([]string{"http", "-h"}, creds("TUYA_MCP_HTTP_TOKEN=envtoken"))
	if u := err.(*helpRequest).usage; strings.Contains(u, "envtoken") {
		t.Errorf("usage shows the token:\n%s", u)
	}
	_, err = parseConfig([]string{"http", "-h"}, nil)
	if u := err.(*helpRequest).usage; !strings.Contains(u, "TUYA_MCP_HTTP_TOKEN") || !strings.Contains(u, "-listen") {
		t.Errorf("http usage does not name its flags and variables:\n%s", u)
	}
}

func TestCallArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
		tool string
		want string // the arguments as JSON
	}{
		{"one JSON object", []string{"device_list", `{"page_size": 5, "product_id": "p1"}`}, "device_list",
			`{"page_size":5,"product_id":"p1"}`},
		{"key=value: numbers and arrays parse as JSON", []string{"device_list", "page_size=5",
			`device_ids=["a","b"]`}, "device_list", `{"device_ids":["a","b"],"page_size":5}`},
		{"key=value: a value that is not JSON is a string", []string{"device_rename", "device_id=abc",
			"name=Kitchen light"}, "device_rename", `{"device_id":"abc","name":"Kitchen light"}`},
		{"key=value: string properties stay strings", []string{"device_user_get", "device_id=123", "user_id=0042"},
			"device_user_get", `{"device_id":"123","user_id":"0042"}`},
		{"an alias", []string{"deviceUser.info", "device_id=d1", "user_id=7"}, "deviceUser.info",
			`{"device_id":"d1","user_id":"7"}`},
		{"an empty value", []string{"device_rename", "device_id=d", "name="}, "device_rename",
			`{"device_id":"d","name":""}`},
		{"no arguments", []string{"device_list"}, "device_list", `{}`},
		{"a value with =", []string{"device_rename", "device_id=d", "name=a=b"}, "device_rename",
			`{"device_id":"d","name":"a=b"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(append([]string{"call", "--sandbox"}, tt.args...), nil)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(c.ToolArgs)
			if c.Tool != tt.tool || string(got) != tt.want {
				t.Errorf("tool %q args %s, want %q %s", c.Tool, got, tt.tool, tt.want)
			}
		})
	}
}

func TestParseBool(t *testing.T) {
	for in, want := range map[string]bool{"1": true, "true": true, "YES": true, " on ": true,
		"0": false, "false": false, "No": false, "off": false} {
		got, err := parseBool(in)
		if err != nil || got != want {
			t.Errorf("parseBool(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "2", "y", "truthy"} {
		if _, err := parseBool(in); err == nil {
			t.Errorf("parseBool(%q) accepted", in)
		}
	}
}

func TestIsLoopbackListen(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "127.0.0.2:0": true, "localhost:1": true, "[::1]:80": true,
		"0.0.0.0:8080": false, ":8080": false, "[::]:80": false, "192.168.1.2:80": false, "example.com:80": false,
		"127.0.0.1": false,
	} {
		if got := isLoopbackListen(addr); got != want {
			t.Errorf("isLoopbackListen(%q) = %v", addr, got)
		}
	}
}

// FuzzParseConfig feeds arbitrary command lines and environment values: parsing never panics,
// and a failure is always a usage error or a help request.
func FuzzParseConfig(f *testing.F) {
	f.Add("call\x00--sandbox\x00device_list\x00page_size=5", "yes")
	f.Add("http\x00--listen\x000.0.0.0:1", "")
	f.Add("call\x00--sandbox\x00device_get\x00{\"device_id\":1}", "0")
	f.Add("sandbox\x00--fail-rate\x00NaN", "maybe")
	f.Add("-h", "1")
	f.Fuzz(func(t *testing.T, line, boolean string) {
		args := strings.Split(line, "\x00")
		env := map[string]string{"TUYA_MCP_READ_ONLY": boolean, "TUYA_ACCESS_ID": "i", "TUYA_ACCESS_SECRET": "s",
			"TUYA_REGION": "cn"}
		_, err := parseConfig(args, env)
		var ue *usageError
		var h *helpRequest
		if err != nil && !errors.As(err, &ue) && !errors.As(err, &h) {
			t.Fatalf("%q: error of type %T: %v", args, err, err)
		}
	})
}
