package main

import (
	"fmt"
	"os"
	"strings"
)

// commands lists the subcommands, in the order of the usage text.
func commands() []string {
	return []string{cmdStdio, cmdHTTP, cmdTools, cmdCall, cmdCheck, cmdSandbox, cmdVersion, cmdHelp}
}

// splitCommand finds the subcommand in args and returns it with the rest of the arguments.
// `--version` and `-v` are the version command; `help COMMAND` is `COMMAND -h`. A command
// that does not exist is a usage error that suggests the nearest one.
func splitCommand(args []string) (string, []string, error) {
	if len(args) == 0 {
		return cmdStdio, args, nil
	}
	switch first := args[0]; {
	case first == "--version" || first == "-version" || first == "-v":
		return cmdVersion, args[1:], nil
	case strings.HasPrefix(first, "-"):
		return cmdStdio, args, nil
	case first == cmdHelp && len(args) > 1:
		if cmd, _, err := splitCommand(args[1:2]); err != nil {
			return cmd, nil, err
		}
		return args[1], []string{"-h"}, nil
	case knownCommand(first):
		return first, args[1:], nil
	default:
		return first, nil, &usageError{msg: unknownCommand(first)}
	}
}

func knownCommand(name string) bool {
	for _, c := range commands() {
		if c == name {
			return true
		}
	}
	return false
}

// unknownCommand says that name is not a command and what the user probably meant: the
// command nearest in spelling, or `call` when name is a tool.
func unknownCommand(name string) string {
	msg := fmt.Sprintf("unknown command %q", name)
	if _, ok := findTool(name); ok {
		return msg + fmt.Sprintf("; to run the tool, use: tuya-mcp call %s ...", name)
	}
	if near := didYouMean(name, commands()); near != "" {
		return msg + near
	}
	return msg + "; the commands are " + strings.Join(commands(), ", ")
}

// programName is how the user started this program, quoted for a POSIX shell when needed, so
// that a printed command line can be pasted.
func programName() string {
	if os.Args[0] == "" {
		return "tuya-mcp"
	}
	return shellQuote(os.Args[0])
}

// shellQuote quotes p for a POSIX shell, unless it needs none.
func shellQuote(p string) string {
	if p != "" && strings.Trim(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+:@%") == "" {
		return p
	}
	return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
}
