package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

func TestCallCommand(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantCode  int
		stdout    []string // substrings of stdout
		stderr    []string // substrings of stderr
		absent    string   // must not be in stdout
		absentErr string   // must not be in stderr
		stdin     string
	}{
		{name: "key=value", args: []string{"device_get", "device_id=" + sandbox.DemoStripID}, wantCode: 0,
			stdout: []string{`"id": "` + sandbox.DemoStripID + `"`}, absent: "local_key"},
		{name: "local keys on request", args: []string{"--expose-local-keys", "device_get", "device_id=" + sandbox.DemoStripID},
			wantCode: 0, stdout: []string{`"local_key"`}},
		{name: "one JSON object", args: []string{"device_list", `{"page_size": 2}`}, wantCode: 0,
			stdout: []string{`"devices"`, `"total"`}},
		{name: "alias", args: []string{"deviceUser.list", "device_id=" + sandbox.DemoScaleID}, wantCode: 0,
			stdout: []string{`"device_users"`, sandbox.DemoScaleUserID}},
		{name: "error result", args: []string{"device_get", "device_id=nosuchdevice00"}, wantCode: 1,
			stderr: []string{"Tuya error 2010"}},
		{name: "invalid arguments", args: []string{"device_list", "page_size=500"}, wantCode: 1,
			stderr: []string{"page_size"}},
		{name: "a huge number for a string", args: []string{"device_rename", `{"device_id":"` + sandbox.DemoStripID + `","name":-12e999}`},
			wantCode: 1, stderr: []string{"name: must be a string (got a number)"}},
		{name: "a huge number inside a list", args: []string{"device_command_send", `{"device_id":"` + sandbox.DemoStripID +
			`","commands":[{"code":"switch_1","value":1e400}]}`}, wantCode: 1, stderr: []string{"switch_1: must be true or false", "(got 1e400)"}},
		{name: "a huge number for a number", args: []string{"device_list", "page_size=1e400"}, wantCode: 1,
			stderr: []string{"page_size: must be between 1 and 100 (got 1e400)"}},
		{name: "text not UTF-8", args: []string{"device_rename", "device_id=" + sandbox.DemoStripID, "name=Lamp \xff"}, wantCode: 2,
			stderr: []string{"not valid UTF-8"}},
		{name: "unknown tool", args: []string{"frobnicate"}, wantCode: 2, stderr: []string{"frobnicate"}},
		{name: "refused by --read-only", args: []string{"--read-only", "device_delete", "device_id=" + sandbox.DemoStripID},
			wantCode: 2, stderr: []string{"device_delete"}},
		{name: "refused by --read-only, by alias", args: []string{"--read-only", "deviceUser.delete",
			"device_id=" + sandbox.DemoScaleID, "user_id=" + sandbox.DemoScaleUserID}, wantCode: 2},
		{name: "refused by --toolsets", args: []string{"--toolsets", "users", "device_get", "device_id=x"}, wantCode: 2},
		{name: "confirmed at the terminal", stdin: "y\n",
			args:     []string{"--confirm-destructive", "device_delete", "device_id=" + sandbox.DemoStripID},
			wantCode: 0, stdout: []string{`"ok": true`}, stderr: []string{"Delete device", "[y/N]"}},
		{name: "declined at the terminal", stdin: "n\n",
			args:     []string{"--confirm-destructive", "deviceUser.delete", "device_id=" + sandbox.DemoScaleID, "user_id=" + sandbox.DemoScaleUserID},
			wantCode: 1, stderr: []string{sandbox.DemoScaleUserID, "[y/N]", "declined"}},
		{name: "no answer: nobody was asked", args: []string{"--confirm-destructive", "device_factory_reset", "device_id=" + sandbox.DemoStripID},
			wantCode: 1, stderr: []string{"[y/N]", "cannot ask for confirmation: stdin is not a terminal"}, absentErr: "declined"},
		{name: "only destructive tools ask", args: []string{"--confirm-destructive", "device_rename",
			"device_id=" + sandbox.DemoStripID, "name=Desk"}, wantCode: 0, stdout: []string{`"ok": true`}, absentErr: "[y/N]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"call", "--sandbox"}, tt.args...)
			o := runBinInput(t, tt.stdin, nil, args...)
			if o.code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", o.code, tt.wantCode, o.stdout, o.stderr)
			}
			mentions(t, "stdout", o.stdout, tt.stdout...)
			mentions(t, "stderr", o.stderr, tt.stderr...)
			if tt.absent != "" && strings.Contains(o.stdout, tt.absent) {
				t.Errorf("stdout has %q:\n%s", tt.absent, o.stdout)
			}
			if tt.absentErr != "" && strings.Contains(o.stderr, tt.absentErr) {
				t.Errorf("stderr has %q:\n%s", tt.absentErr, o.stderr)
			}
			if o.code == 0 && !json.Valid([]byte(o.stdout)) {
				t.Errorf("stdout is not JSON:\n%s", o.stdout)
			}
			if o.code != 0 && o.stdout != "" {
				t.Errorf("stdout on failure: %s", o.stdout)
			}
		})
	}
}

func TestToolsCommand(t *testing.T) {
	var readOnly []string
	for _, i := range tools.Catalogue() {
		if i.ReadOnly {
			readOnly = append(readOnly, i.Name)
		}
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"all", nil, names(tools.Catalogue())},
		{"read-only", []string{"--read-only"}, readOnly},
		{"a toolset", []string{"--toolsets", "users"}, []string{"user_sync", "user_list", "user_get"}},
		{"tools by name and alias", []string{"--tools", "deviceUser.add,device_get"}, []string{"device_get", "device_user_add"}},
		{"from the environment", []string{"TUYA_MCP_TOOLSETS=device_users", "TUYA_MCP_READ_ONLY=yes"},
			[]string{"device_user_get", "device_user_list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var env, flags []string
			for _, a := range tt.args {
				if strings.HasPrefix(a, "TUYA_") {
					env = append(env, a)
				} else {
					flags = append(flags, a)
				}
			}
			o := runBin(t, env, append([]string{"tools", "--json"}, flags...)...)
			if o.code != 0 {
				t.Fatalf("exit %d: %s", o.code, o.stderr)
			}
			var got []toolJSON
			if err := json.Unmarshal([]byte(o.stdout), &got); err != nil {
				t.Fatal(err)
			}
			var gotNames []string
			for _, g := range got {
				gotNames = append(gotNames, g.Name)
				if len(g.InputSchema) == 0 || len(g.OutputSchema) == 0 || g.Title == "" || !g.Annotations.OpenWorldHint {
					t.Errorf("incomplete entry %+v", g)
				}
			}
			if !slices.Equal(gotNames, tt.want) {
				t.Errorf("listed %q, want %q", gotNames, tt.want)
			}
		})
	}

	t.Run("table", func(t *testing.T) {
		t.Parallel()
		o := runBin(t, nil, "tools")
		lines := strings.Split(strings.TrimSpace(o.stdout), "\n")
		if o.code != 0 || len(lines) != len(tools.Catalogue())+1 || !strings.HasPrefix(lines[0], "NAME") {
			t.Fatalf("exit %d:\n%s", o.code, o.stdout)
		}
		if !strings.Contains(o.stdout, "device_delete") || !strings.Contains(o.stdout, "destructive") {
			t.Errorf("table:\n%s", o.stdout)
		}
	})
}

func names(infos []tools.Info) []string {
	var out []string
	for _, i := range infos {
		out = append(out, i.Name)
	}
	return out
}
