package main

import (
	"os/exec"
	"strings"
	"testing"
)

func TestCommandLineConventions(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		stdout   []string
		stderr   []string
		absent   []string // in stderr
	}{
		{name: "--version", args: []string{"--version"}, stdout: []string{"tuya-mcp dev ("}},
		{name: "-v", args: []string{"-v"}, stdout: []string{"tuya-mcp dev ("}},
		{name: "version", args: []string{"version"}, stdout: []string{"tuya-mcp dev ("}},
		{name: "help alone", args: []string{"help"}, stderr: []string{"tuya-mcp check", "tuya-mcp call TOOL"}},
		{name: "misspelt command", args: []string{"chek"}, wantCode: 2,
			stderr: []string{`unknown command "chek" (did you mean check?)`, "tuya-mcp help"}, absent: []string{"chek -h"}},
		{name: "misspelt command, two edits", args: []string{"sandbxo", "--listen", ":0"}, wantCode: 2,
			stderr: []string{`(did you mean sandbox?)`}},
		{name: "a tool as a command", args: []string{"device_list"}, wantCode: 2,
			stderr: []string{"tuya-mcp call device_list"}},
		{name: "nothing near", args: []string{"frobnicate"}, wantCode: 2,
			stderr: []string{"the commands are stdio, http, tools, call, check, sandbox, version, help"}},
		{name: "help of an unknown command", args: []string{"help", "toolz"}, wantCode: 2,
			stderr: []string{`(did you mean tools?)`}},
		{name: "tools -h: only the flags of listing", args: []string{"tools", "-h"},
			stderr: []string{"-toolsets", "-read-only", "-markdown"}, absent: []string{"-call-timeout", "-confirm-destructive", "-listen",
				"-access-id", "-access-secret", "-endpoint", "-region", "-schema", "-sandbox"}},
		{name: "sandbox -h", args: []string{"sandbox", "-h"},
			stderr: []string{"-unsubscribed", "-ip-allowlist", "-fail-rate", "(/v1.0/token) are never refused"},
			absent: []string{"-toolsets", "-schema"}},
		{name: "check -h: the configuration flags of call", args: []string{"check", "-h"},
			stderr: []string{"-schema", "-toolsets", "-read-only", "-call-timeout", "-sandbox", "-region",
				"SKIP", "2 for a usage or configuration error"},
			absent: []string{"-listen", "-json", "-confirm-destructive", "-expose-local-keys"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, nil, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, stdout, stderr)
			}
			mentions(t, "stdout", stdout, tt.stdout...)
			mentions(t, "stderr", stderr, tt.stderr...)
			for _, w := range tt.absent {
				if strings.Contains(stderr, w) {
					t.Errorf("stderr has %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestHelpCommandIsDashH: `help COMMAND` prints exactly what `COMMAND -h` prints.
func TestHelpCommandIsDashH(t *testing.T) {
	for _, cmd := range commands() {
		if cmd == cmdHelp {
			continue
		}
		c1, out1, help := runCmd(t, nil, cmdHelp, cmd)
		c2, out2, dashH := runCmd(t, nil, cmd, "-h")
		if c1 != 0 || c2 != 0 || out1 != "" || out2 != "" || help != dashH || !strings.Contains(help, "Usage: tuya-mcp") {
			t.Errorf("%s: help exit %d %q, -h exit %d %q", cmd, c1, help, c2, dashH)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"tuya-mcp":              "tuya-mcp",
		"./bin/tuya-mcp":        "./bin/tuya-mcp",
		"/Users/Ann Lee/tuya":   "'/Users/Ann Lee/tuya'",
		"/tmp/it's/tuya-mcp":    `'/tmp/it'\''s/tuya-mcp'`,
		"C:/Tools/tuya-mcp.exe": "C:/Tools/tuya-mcp.exe",
		"/opt/$HOME/tuya-mcp":   "'/opt/$HOME/tuya-mcp'",
	} {
		got := shellQuote(in)
		if got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
		out, err := exec.Command("sh", "-c", "printf %s "+got).Output()
		if err != nil || string(out) != in {
			t.Errorf("sh reads %s as %q (%v), want %q", got, out, err, in)
		}
	}
}
