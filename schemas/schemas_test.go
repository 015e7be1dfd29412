package schemas_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tuya-mcp/tuya-mcp/internal/reflector"
	"github.com/tuya-mcp/tuya-mcp/schemas"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

const fix = "run `go generate ./...` from the module root and commit schemas/"

// TestCommittedSchemasAreCurrent fails when a committed schema differs from what the code
// generates, is missing, or belongs to no tool.
func TestCommittedSchemasAreCurrent(t *testing.T) {
	files, err := reflector.Files()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tools.Catalogue()); len(files) != 2*n {
		t.Errorf("%d schema files, want %d (%d tools, input and output)", len(files), 2*n, n)
	}
	for name, want := range files {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("schemas/%s: %v; %s", name, err, fix)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("schemas/%s is out of date; %s", name, fix)
		}
	}
	committed, err := filepath.Glob("*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range committed {
		if _, ok := files[name]; !ok {
			t.Errorf("schemas/%s belongs to no tool; %s", name, fix)
		}
	}
}

func TestFilesAreIndentedWithNewline(t *testing.T) {
	files, err := reflector.Files()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		if !strings.HasSuffix(string(b), "}\n") || !strings.HasPrefix(string(b), "{\n  \"") {
			t.Errorf("%s is not an indented object with a trailing newline", name)
		}
	}
}

// TestToolServesTheCommittedFiles checks that Tool returns each committed file's schema,
// compacted.
func TestToolServesTheCommittedFiles(t *testing.T) {
	inputs, err := filepath.Glob("*.input.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) == 0 {
		t.Fatal("no committed schemas")
	}
	for _, path := range inputs {
		name := strings.TrimSuffix(path, ".input.json")
		in, out, err := schemas.Tool(name)
		if err != nil {
			t.Fatalf("Tool(%q): %v", name, err)
		}
		for file, got := range map[string][]byte{name + ".input.json": in, name + ".output.json": out} {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			if err := json.Compact(&want, raw); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("Tool(%q) serves %s, want %s", name, got, want.Bytes())
			}
		}
	}
}

func TestToolUnknown(t *testing.T) {
	for _, name := range []string{"no_such_tool", "", "../schemas", "device_get.input"} {
		if in, out, err := schemas.Tool(name); err == nil {
			t.Errorf("Tool(%q) = %s, %s; want an error", name, in, out)
		}
	}
}
