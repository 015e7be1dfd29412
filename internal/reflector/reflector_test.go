package reflector

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestWrite checks that Write writes every schema and removes only stale schema files.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	keep := map[string]string{"notes.json": "{}", "device_get.input.json.bak": "x"}
	for name, content := range keep {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stale := filepath.Join(dir, "gone_tool.output.json")
	if err := os.WriteFile(stale, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir); err != nil {
		t.Fatal(err)
	}
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %v, content differs: %v", name, err, !bytes.Equal(got, want))
		}
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale %s still there (%v)", stale, err)
	}
	for name := range keep {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s was removed: %v", name, err)
		}
	}
}
