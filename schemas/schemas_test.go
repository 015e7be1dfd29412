package schemas

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommittedSchemasAreCurrent fails when a committed schema differs from the code's, is
// missing, or belongs to no tool.
func TestCommittedSchemasAreCurrent(t *testing.T) {
	const fix = "run `go generate ./...` from the module root and commit schemas/"
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 40 {
		t.Errorf("%d schema files, want 40 (20 tools, input and output)", len(files))
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
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		if !strings.HasSuffix(string(b), "}\n") || !strings.HasPrefix(string(b), "{\n  \"") {
			t.Errorf("%s is not an indented object with a trailing newline", name)
		}
	}
}
