// Command schemagen writes the tool schemas into the current directory (schemas/, via go generate)
// and removes schema files of tools that no longer exist.
package main

import (
	"fmt"
	"os"

	"github.com/tuya-mcp/tuya-mcp/internal/reflector"
)

func main() {
	if err := reflector.Write("."); err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
}
