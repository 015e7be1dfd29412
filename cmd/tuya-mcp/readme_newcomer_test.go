package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestREADMECurlExample runs the README's curl request, as printed, against `http --sandbox`.
func TestREADMECurlExample(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl")
	}
	t.Parallel()
	script := readmeSection(t, "curl-example")
	if !strings.Contains(script, "http://127.0.0.1:8080/mcp") {
		t.Fatalf("the example does not use the default address:\n%s", script)
	}
	p := startBin(t, "http", "--sandbox", "--listen", "127.0.0.1:0")
	defer p.stop(t, syscall.SIGTERM)
	url := p.url(t)
	script = strings.ReplaceAll(script, "http://127.0.0.1:8080/mcp", url)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script).Output()
	if err != nil {
		t.Fatalf("script: %v\n%s", err, out)
	}
	var reply struct {
		Result struct {
			IsError           bool `json:"isError"`
			StructuredContent struct {
				Devices []any `json:"devices"`
			} `json:"structuredContent"`
		} `json:"result"`
	}
	if err := json.Unmarshal(out, &reply); err != nil || reply.Result.IsError || len(reply.Result.StructuredContent.Devices) != 1 {
		t.Errorf("reply %s (%v), want one device", out, err)
	}
}

// TestREADMENodeVersion: the Node.js version the README and .ci/run ask for is the highest that
// a package installed for the tests declares (the SDK asks for less than one of its dependencies).
func TestREADMENodeVersion(t *testing.T) {
	need, by := 0, ""
	roots := map[string]string{} // lock file to the engines its own package.json declares
	for _, lock := range []string{"testdata/e2e/package-lock.json", "../../mcpb/package-lock.json"} {
		b, err := os.ReadFile(lock)
		if err != nil {
			t.Fatal(err)
		}
		var l struct {
			Packages map[string]struct {
				Engines map[string]string `json:"engines"`
			} `json:"packages"`
		}
		if err := json.Unmarshal(b, &l); err != nil {
			t.Fatalf("%s: %v", lock, err)
		}
		roots[lock] = l.Packages[""].Engines["node"]
		for name, p := range l.Packages {
			// ">=20", ">=18.0.0", "^14.17.0 || >=18.0.0": the lowest major a range admits.
			m := regexp.MustCompile(`^\D*(\d+)`).FindStringSubmatch(p.Engines["node"])
			if m == nil {
				continue
			}
			if v, _ := strconv.Atoi(m[1]); v > need {
				need, by = v, lock+": "+name
			}
		}
	}
	for lock, declared := range roots {
		if want := fmt.Sprintf(">=%d", need); declared != want {
			t.Errorf("the package.json of %s declares node %q, want %q (needed by %s)", lock, declared, want, by)
		}
	}
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Node.js %d+", need); !strings.Contains(string(readme), want) {
		t.Errorf("README does not say %q (needed by %s)", want, by)
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf(`"$node_major" -lt %d`, need); !strings.Contains(string(ci), want) {
		t.Errorf(".ci/run does not check %s (needed by %s)", want, by)
	}
}

// TestREADMENewcomerNotes: what a newcomer needs beyond the commands, each where it is looked for.
func TestREADMENewcomerNotes(t *testing.T) {
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	license, err := os.ReadFile("../../LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	fuzz, err := os.ReadFile("../../.ci/fuzz")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ what, text, want string }{
		{"LICENSE is MIT", string(license), "MIT License"},
		{"LICENSE names the copyright holders", string(license), "Copyright (c) 2026 The tuya-mcp authors"},
		{"README names the licence", string(readme), "MIT: see [LICENSE](LICENSE)"},
		{"README puts go install's directory on PATH", string(readme), `export PATH="$(go env GOPATH)/bin:$PATH"`},
		{"README runs fuzzing longer with a count", string(readme), "FUZZTIME=100000x bash .ci/fuzz"},
		{".ci/fuzz recommends a count", string(fuzz), "FUZZTIME=100000x bash .ci/fuzz"},
		{"README documents check", string(readme), "tuya-mcp check"},
		{"README documents the bundle", string(readme), "bash mcpb/build.sh"},
	} {
		if !strings.Contains(c.text, c.want) {
			t.Errorf("%s: %q is missing", c.what, c.want)
		}
	}
	if regexp.MustCompile(`FUZZTIME=\d+[smh]\b`).Match(readme) {
		t.Error("README suggests a fuzzing duration; Go 1.26 may fail one at its deadline (see .ci/fuzz)")
	}
}
