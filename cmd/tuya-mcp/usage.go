package main

import (
	"flag"
	"io"
	"strings"
)

const commandList = `Usage:
  tuya-mcp [stdio] [flags]                 MCP over stdio (the default; for editors)
  tuya-mcp http [--listen ADDR] [flags]    MCP over Streamable HTTP at /mcp (+ GET /healthz)
  tuya-mcp tools [--json|--markdown]       list the tools
  tuya-mcp call TOOL [JSON | key=value ...]  run one tool and print its result
  tuya-mcp check [flags]                   check the cloud project's set-up, one line per toolset
  tuya-mcp sandbox [--listen ADDR]         run the Tuya cloud emulator alone, for any Tuya client
  tuya-mcp version                         print the version (also --version, -v)

Run 'tuya-mcp help COMMAND' (or 'tuya-mcp COMMAND -h') for the flags of a command. Flags win over environment variables.
Without Tuya credentials, add --sandbox to use the built-in emulator with demo data.
Exit status: 0 ok, 1 failure (call: the tool returned an error), 2 usage or configuration error.
`

func synopsis(cmd string) string {
	switch cmd {
	case cmdHTTP:
		return "tuya-mcp http [flags]: serve MCP over Streamable HTTP at /mcp, with GET /healthz.\n" +
			"Stateless: replicas can run behind any load balancer."
	case cmdTools:
		return "tuya-mcp tools [flags]: list the tools this configuration offers."
	case cmdCall:
		return "tuya-mcp call [flags] TOOL [JSON | key=value ...]: run one tool.\n" +
			"Arguments are one JSON object, or key=value pairs whose values are read as JSON when they\n" +
			"parse (and the property is not a string), else as strings. The structured result is printed\n" +
			"on stdout; an error result on stderr with exit status 1. An unknown tool, or one this\n" +
			"configuration does not offer, exits with status 2."
	case cmdCheck:
		return "tuya-mcp check [flags]: check that the cloud project is set up for each offered toolset.\n" +
			"Grants a token and makes the cheapest read of each toolset; prints one line per capability:\n" +
			"OK, SKIP (could not be tried, and why), or what is wrong and what to change.\n" +
			"Exit status: 0 when every offered toolset works, 1 when one fails or was skipped,\n" +
			"2 for a usage or configuration error."
	case cmdSandbox:
		return "tuya-mcp sandbox [flags]: run the Tuya cloud emulator with demo data.\n" +
			"Point any Tuya OpenAPI client at the printed URL with the printed credentials."
	case cmdVersion:
		return "tuya-mcp version: print the version."
	default:
		return "tuya-mcp [stdio] [flags]: serve MCP over stdin/stdout."
	}
}

func topUsage() string { return commandList }

func commandUsage(cmd string, fs *flag.FlagSet) string {
	var b strings.Builder
	b.WriteString("Usage: ")
	b.WriteString(synopsis(cmd))
	b.WriteString("\n")
	if hasFlags(fs) {
		b.WriteString("\nFlags:\n")
		fs.SetOutput(&b)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if cmd == cmdStdio {
		b.WriteString("\n")
		b.WriteString(commandList)
	}
	return b.String()
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}
