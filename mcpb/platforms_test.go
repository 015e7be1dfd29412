package mcpb

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBundlePlatforms: every platform build.sh builds by default is one the bundle starts: on
// Windows through the manifest's override, elsewhere through launcher.sh, whose choice of binary
// is checked here with a stand-in uname for each system and processor.
func TestBundlePlatforms(t *testing.T) {
	script, err := os.ReadFile("build.sh")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`platforms=\$\{PLATFORMS:-([^}]*)\}`).FindSubmatch(script)
	if m == nil {
		t.Fatal("build.sh has no default PLATFORMS")
	}
	platforms := strings.Fields(string(m[1]))
	want := []string{"linux/amd64", "linux/arm64", "darwin/arm64", "darwin/amd64", "windows/amd64"}
	if strings.Join(platforms, " ") != strings.Join(want, " ") {
		t.Errorf("build.sh builds %v, want %v", platforms, want)
	}
	var manifest struct {
		Server struct {
			EntryPoint string `json:"entry_point"`
			MCPConfig  struct {
				Command   string `json:"command"`
				Overrides map[string]struct {
					Command string `json:"command"`
				} `json:"platform_overrides"`
			} `json:"mcp_config"`
		} `json:"server"`
	}
	b, err := os.ReadFile("manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		t.Fatal(err)
	}
	if manifest.Server.MCPConfig.Command != "${__dirname}/"+manifest.Server.EntryPoint {
		t.Errorf("command %s does not run the entry point %s", manifest.Server.MCPConfig.Command, manifest.Server.EntryPoint)
	}
	uname := map[string]map[string]string{ // GOOS/GOARCH to what uname -s and uname -m print
		"linux/amd64": {"s": "Linux", "m": "x86_64"}, "linux/arm64": {"s": "Linux", "m": "aarch64"},
		"darwin/arm64": {"s": "Darwin", "m": "arm64"}, "darwin/amd64": {"s": "Darwin", "m": "x86_64"},
	}
	for _, p := range platforms {
		goos, arch, _ := strings.Cut(p, "/")
		binary := "tuya-mcp-" + goos + "-" + arch
		if goos == "windows" {
			if got := manifest.Server.MCPConfig.Overrides["win32"].Command; got != "${__dirname}/server/"+binary+".exe" {
				t.Errorf("win32 runs %q, but build.sh makes server/%s.exe", got, binary)
			}
			continue
		}
		t.Run(p, func(t *testing.T) {
			dir := t.TempDir()
			bin := filepath.Join(dir, "bin")
			server := filepath.Join(dir, "server")
			for _, d := range []string{bin, server} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			u := uname[p]
			write(t, filepath.Join(bin, "uname"), "#!/bin/sh\ncase $1 in -s) echo "+u["s"]+";; -m) echo "+u["m"]+";; esac\n")
			write(t, filepath.Join(server, binary), "#!/bin/sh\necho \"$0 $*\"\n")
			launcher, err := os.ReadFile("launcher.sh")
			if err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(server, "tuya-mcp"), string(launcher))
			cmd := exec.Command(filepath.Join(server, "tuya-mcp"), "stdio", "--read-only")
			cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin"}
			out, err := cmd.CombinedOutput()
			if want := filepath.Join(server, binary) + " stdio --read-only\n"; err != nil || string(out) != want {
				t.Errorf("launcher ran %q (%v), want %q", out, err, want)
			}
		})
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
}
