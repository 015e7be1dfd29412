package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/tools"
)

const readmePath = "../../README.md"

// readmeSection returns the text between <!-- name:begin --> and <!-- name:end -->, without
// Markdown code fences.
func readmeSection(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	begin, end := "<!-- "+name+":begin -->\n", "<!-- "+name+":end -->"
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %s section", name)
	}
	var lines []string
	for _, l := range strings.Split(s[i+len(begin):j], "\n") {
		if !strings.HasPrefix(l, "```") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

func TestREADMEToolTable(t *testing.T) {
	got := strings.TrimSpace(readmeSection(t, "tools"))
	want := strings.TrimSpace(markdownTable(tools.Catalogue()))
	if got != want {
		t.Errorf("the README's tool table is out of date; replace it with the output of\n"+
			"  go run ./cmd/tuya-mcp tools --markdown\ngot:\n%s\nwant:\n%s", got, want)
	}
}

// TestREADMETestCommand: .ci/run runs the README's test command, verbatim, and CONTRIBUTING.md
// gives the same one.
func TestREADMETestCommand(t *testing.T) {
	command := strings.TrimSpace(readmeSection(t, "test-command"))
	if strings.Contains(command, "\n") || command == "" {
		t.Fatalf("the test command must be one line: %q", command)
	}
	guide, err := os.ReadFile("../../CONTRIBUTING.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains("\n"+string(guide), "\n"+command+"\n") {
		t.Errorf("CONTRIBUTING.md does not give the README's test command %q on a line of its own", command)
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(ci), "\n") {
		if strings.TrimSpace(l) == command {
			return
		}
	}
	t.Errorf(".ci/run does not run the README's test command %q", command)
}

// TestREADMEStdioExample runs the README's scripted JSON-RPC session as printed, with the
// built binary as ./tuya-mcp.
func TestREADMEStdioExample(t *testing.T) {
	t.Parallel()
	script := readmeSection(t, "stdio-example")
	dir := t.TempDir()
	if err := os.Symlink(binPath, filepath.Join(dir, "tuya-mcp")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = procEnv()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("script: %v\nstderr:\n%s", err, stderr.String())
	}
	replies := map[float64]map[string]any{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("stdout line is not JSON: %q", sc.Text())
		}
		id, _ := m["id"].(float64)
		replies[id] = m
	}
	if _, ok := replies[1]["result"]; !ok {
		t.Errorf("no initialize result: %s", out)
	}
	res, _ := replies[2]["result"].(map[string]any)
	if res == nil || res["isError"] == true || res["structuredContent"] == nil {
		t.Errorf("no successful tools/call result: %s", out)
	}
}

// TestREADMESafetyCategories: the README lists exactly the categories the server treats as
// safety ones.
func TestREADMESafetyCategories(t *testing.T) {
	got := strings.TrimSpace(readmeSection(t, "safety"))
	var want strings.Builder
	want.WriteString("| category | device |\n|---|---|\n")
	for _, c := range tools.SafetyCategories() {
		want.WriteString("| `" + c[0] + "` | " + c[1] + " |\n")
	}
	if got != strings.TrimSpace(want.String()) {
		t.Errorf("the README's safety categories are out of date:\ngot:\n%s\nwant:\n%s", got, want.String())
	}
}
