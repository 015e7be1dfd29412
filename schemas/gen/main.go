// Command gen writes the tool schemas into the current directory (schemas/, via go generate)
// and removes schema files of tools that no longer exist.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tuya-mcp/tuya-mcp/schemas"
)

func main() {
	if err := run("."); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	files, err := schemas.Files()
	if err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	for _, path := range old {
		stale := strings.HasSuffix(path, ".input.json") || strings.HasSuffix(path, ".output.json")
		if _, ok := files[filepath.Base(path)]; !ok && stale {
			if err := os.Remove(path); err != nil {
				return err
			}
		}
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
