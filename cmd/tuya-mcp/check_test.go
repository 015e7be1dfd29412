package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
)

// runCmd runs the command line in-process and returns the exit status, stdout and stderr.
func runCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, env, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestCheck(t *testing.T) {
	const wrongSecret = "wrongsecret0000000000000000000000"
	// An endpoint that answers every path with a token, as a misconfigured proxy might.
	tokensOnly := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"success":true,"t":%d,"result":{"access_token":"at","refresh_token":"rt","expire_time":7200,"uid":"u"}}`,
			time.Now().UnixMilli())
	}))
	t.Cleanup(tokensOnly.Close)
	tests := []struct {
		name string
		opts sandbox.Options
		// args replace or add to the demo cloud's flags.
		args     []string
		wantCode int
		want     []string // lines of stdout, each a set of substrings
	}{
		{name: "healthy", wantCode: 0, want: []string{
			"access token OK", "users (user_list) OK", "devices (device_list) OK app demoapp: 17 device(s)",
			"device_users (device_user_list) OK", "device_control (device_status_get) OK"}},
		{name: "wrong secret", args: []string{"--access-secret", wrongSecret}, wantCode: 1, want: []string{
			"access token FAIL Tuya error 1004", "TUYA_ACCESS_SECRET (--access-secret)",
			"devices (device_list) FAIL not checked: no access token"}},
		{name: "wrong access id", args: []string{"--access-id", "someoneelse"}, wantCode: 1, want: []string{
			"access token FAIL Tuya error 1005", "TUYA_ACCESS_ID (--access-id)"}},
		{name: "devices not subscribed", opts: sandbox.Options{Unsubscribed: []string{"/v1.0/devices"}}, wantCode: 1,
			want: []string{"access token OK", "users (user_list) OK",
				"devices (device_list) FAIL Tuya error 28841106", "subscribe to IoT Core",
				"device_users (device_user_list) FAIL Tuya error 28841106",
				"device_control (device_status_get) FAIL Tuya error 28841106"}},
		{name: "device users not subscribed", opts: sandbox.Options{Unsubscribed: []string{"/v1.0/devices/"}}, wantCode: 1,
			want: []string{"devices (device_list) OK", "device_users (device_user_list) FAIL Tuya error 28841106",
				"GET /v1.0/devices/{device_id}/users"}},
		{name: "unsubscribed toolset not offered", opts: sandbox.Options{Unsubscribed: []string{"/v2.0/apps"}},
			args: []string{"--toolsets", "devices,device_users"}, wantCode: 0,
			want: []string{"devices (device_list) OK", "device_users (device_user_list) OK"}},
		{name: "IP allowlist", opts: sandbox.Options{IPAllowlist: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}},
			wantCode: 1, want: []string{"access token FAIL Tuya error 1114", "your ip(127.0.0.1)", "IP allowlist"}},
		{name: "wrong app schema", args: []string{"--schema", "nosuchapp"}, wantCode: 1,
			want: []string{"access token OK", "users (user_list) FAIL Tuya error 2017", `"nosuchapp"`,
				"TUYA_APP_SCHEMA (--schema)", "devices (device_list) FAIL Tuya error 2017"}},
		{name: "no app schema", args: []string{"--schema", ""}, wantCode: 1,
			want: []string{"access token OK", "users (user_list) FAIL no app schema", "TUYA_APP_SCHEMA (--schema)",
				"devices (device_list) FAIL no app schema"}},
		{name: "nothing answers", args: []string{"--endpoint", "http://127.0.0.1:1"}, wantCode: 1,
			want: []string{"access token FAIL cannot reach http://127.0.0.1:1 (connection refused by 127.0.0.1:1)", "TUYA_ENDPOINT (--endpoint)"}},
		{name: "no such host", args: []string{"--endpoint", "http://nonexistent.invalid"}, wantCode: 1,
			want: []string{"access token FAIL cannot reach http://nonexistent.invalid (the host name nonexistent.invalid could not be resolved)"}},
		{name: "an endpoint that answers every path alike", args: []string{"--endpoint", tokensOnly.URL}, wantCode: 1,
			want: []string{"access token OK", "users (user_list) FAIL " + tokensOnly.URL + " answered, but not like the Tuya cloud",
				"devices (device_list) FAIL " + tokensOnly.URL + " answered, but not like the Tuya cloud",
				"device_control (device_status_get) FAIL"}},
		{name: "no time limit given", args: []string{"--call-timeout", "0s"}, wantCode: 0, want: []string{
			"access token OK", "devices (device_list) OK"}},
		{name: "configuration error", args: []string{"--access-secret", "", "--access-id", ""}, wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sb := startSandbox(t, tt.opts)
			stdout, stderr, _ := checkCommand(t, sb.URL, tt.args, tt.wantCode, tt.want)
			for _, secret := range []string{sandbox.DemoAccessSecret, wrongSecret} {
				if strings.Contains(stdout+stderr, secret) {
					t.Errorf("a secret is printed:\n%s\n%s", stdout, stderr)
				}
			}
		})
	}
}

// checkCommand runs `check` against the cloud at url with args added to the demo credentials, and
// requires the exit code and each of want in stdout (spaces folded, as flat returns it).
func checkCommand(t *testing.T, url string, args []string, wantCode int, want []string) (stdout, stderr, flat string) {
	t.Helper()
	code, stdout, stderr := runCmd(t, nil, append(append([]string{"check"}, demoCloud(url)...), args...)...)
	if code != wantCode {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, wantCode, stdout, stderr)
	}
	flat = strings.Join(strings.Fields(stdout), " ")
	for _, w := range want {
		if !strings.Contains(flat, w) {
			t.Errorf("stdout lacks %q:\n%s", w, stdout)
		}
	}
	return stdout, stderr, flat
}

// TestCheckFindsTheDataCentre: on 1005 from a data centre, check asks the others with the same
// credentials and names the one that grants a token.
func TestCheckFindsTheDataCentre(t *testing.T) {
	elsewhere := startSandbox(t, sandbox.Options{AccessID: "anotherproject000000"})
	home := startSandbox(t, sandbox.Options{})
	nowhere := startSandbox(t, sandbox.Options{AccessID: "yetanotherproject000"})
	tests := []struct {
		name    string
		regions []region
		want    string
	}{
		{"found", []region{{"eu", elsewhere.URL}, {"in", nowhere.URL}, {"us", home.URL}},
			"not in the eu data centre but in us: set TUYA_REGION=us (--region us)"},
		{"not found", []region{{"eu", elsewhere.URL}, {"in", nowhere.URL}},
			"no data centre knows this Access ID (eu was asked first, then the others)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseConfig(append([]string{"check"}, demoCloud(elsewhere.URL)...), nil)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			err = checkProject(context.Background(), cfg, zerolog.Nop(), &out, tt.regions)
			if err != errCheckFailed || !strings.Contains(out.String(), tt.want) {
				t.Errorf("err %v, want %q in:\n%s", err, tt.want, out.String())
			}
		})
	}
}

// TestCheckAdvice covers the codes the sandbox does not produce.
func TestCheckAdvice(t *testing.T) {
	users, devices := capabilities()[0], capabilities()[1]
	tests := []struct {
		code int
		cp   capability
		want []string
	}{
		{client.CodePermissionDeny, users, []string{`may not read app "myapp"`, "TUYA_APP_SCHEMA (--schema)", "Link App Account"}},
		{client.CodeAPINotSubscribed, devices, []string{"not subscribed to the IoT Core service", "GET /v1.0/devices", "Service API"}},
		{28841105, devices, []string{"not authorised to call GET /v1.0/devices", "authorise IoT Core"}},
		{client.CodePlanExpired, devices, []string{"plan has expired", "renew"}},
		{client.CodeTrialQuotaUsed, devices, []string{"Trial Edition", "upgrade"}},
		{client.CodePermissionDeny, devices, []string{"lacks the permission for /v1.0/devices", "authorise IoT Core"}},
		{client.CodeRequestTimeInvalid, devices, []string{"clock"}},
	}
	for _, tt := range tests {
		err := &client.APIError{Code: tt.code, Msg: "the cloud's words", Method: "GET", Path: "/v1.0/devices"}
		got := advice(context.Background(), Config{Schema: "myapp"}, tt.cp, err, nil, zerolog.Nop())
		for _, w := range append(tt.want, "the cloud's words") {
			if !strings.Contains(got, w) {
				t.Errorf("%d: %q lacks %q", tt.code, got, w)
			}
		}
		if !setupProblem(err) {
			t.Errorf("%d is not counted as a set-up problem", tt.code)
		}
	}
}

// TestCheckAgainstTheSandboxCommand injects the project's settings through the sandbox's
// command line, as a user reproducing a report would.
func TestCheckAgainstTheSandboxCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unsubscribed services", []string{"--unsubscribed", "/v2.0/apps", "--unsubscribed", "/v1.0/devices/"},
			[]string{"users (user_list) FAIL Tuya error 28841106", "devices (device_list) OK",
				"device_users (device_user_list) FAIL Tuya error 28841106"}},
		{"IP allowlist", []string{"--ip-allowlist", "192.0.2.0/24,2001:db8::/32"},
			[]string{"access token FAIL Tuya error 1114", "your ip(127.0.0.1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := startBin(t, append([]string{"sandbox", "--listen", "127.0.0.1:0"}, tt.args...)...)
			defer p.stop(t, syscall.SIGTERM)
			code, stdout, stderr := runCmd(t, nil, append([]string{"check"}, demoCloud(p.url(t))...)...)
			flat := strings.Join(strings.Fields(stdout), " ")
			for _, w := range tt.want {
				if !strings.Contains(flat, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			if code != 1 {
				t.Errorf("exit %d, want 1; stderr:\n%s", code, stderr)
			}
		})
	}
}
