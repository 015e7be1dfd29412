package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/tuya-mcp/tuya-mcp/internal/levenshtein"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// The checks and messages in this file speak the command line's words (flags, environment
// variables), so that what the user reads names what to change, and no package's internal text
// (its prefix, its option names, a parser's wording) reaches them.

// checkSelection checks --toolsets, --tools and --read-only against the catalogue.
func checkSelection(cfg Config) error {
	var errs []error
	sets := tools.ToolsetNames()
	for _, s := range cfg.Toolsets {
		if !slices.Contains(sets, s) {
			errs = append(errs, fmt.Errorf("--toolsets (TUYA_MCP_TOOLSETS): %q is not a toolset%s; the toolsets are %s",
				s, didYouMean(s, sets), strings.Join(sets, ", ")))
		}
	}
	for _, n := range cfg.Tools {
		if _, ok := findTool(n); !ok {
			errs = append(errs, fmt.Errorf("--tools (TUYA_MCP_TOOLS): %q is not a tool%s; `tuya-mcp tools` lists them",
				n, didYouMean(n, toolNames())))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for _, t := range tools.Catalogue() {
		if hiddenBy(cfg, t) == "" {
			return nil
		}
	}
	return errors.New("--toolsets, --tools and --read-only together leave no tool to offer")
}

// toolNames lists the canonical tool names, for suggestions.
func toolNames() []string {
	var names []string
	for _, t := range tools.Catalogue() {
		names = append(names, t.Name)
	}
	return names
}

// hiddenBy says which option hides the tool t, or "" when this configuration offers it.
func hiddenBy(cfg Config, t tools.Info) string {
	switch {
	case len(cfg.Toolsets) > 0 && !slices.Contains(cfg.Toolsets, t.Toolset):
		return fmt.Sprintf("%s is in the %s toolset, which --toolsets (TUYA_MCP_TOOLSETS) %s leaves out",
			t.Name, t.Toolset, strings.Join(cfg.Toolsets, ","))
	case len(cfg.Tools) > 0 && !slices.ContainsFunc(cfg.Tools, func(n string) bool { return n == t.Name || n == t.Alias }):
		return fmt.Sprintf("%s is not among the tools --tools (TUYA_MCP_TOOLS) offers: %s", t.Name, strings.Join(cfg.Tools, ","))
	case cfg.ReadOnly && !t.ReadOnly:
		return fmt.Sprintf("%s is hidden by --read-only (TUYA_MCP_READ_ONLY), as it changes something; "+
			"run without --read-only to use it", t.Name)
	}
	return ""
}

// checkEndpoint refuses an endpoint that is not an http(s) URL with a host, or that has user
// info, a query or a fragment, before the client reports it in its own words. The endpoint is
// quoted with its user info masked: it may hold a password.
func checkEndpoint(endpoint string) error {
	u, err := url.Parse(strings.TrimSpace(endpoint))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return fmt.Errorf("TUYA_ENDPOINT (--endpoint) %q must be a URL such as https://openapi.tuyaeu.com "+
			"or http://127.0.0.1:9797, without user info, query or fragment; or leave it out and set TUYA_REGION (--region)",
			maskUserInfo(endpoint))
	}
	return nil
}

// maskUserInfo replaces what stands between a URL's "//" and the "@" before its host, if
// anything, so that a password in it is not printed. It works on text that does not parse.
func maskUserInfo(s string) string {
	_, rest, ok := strings.Cut(s, "//")
	if !ok {
		rest = s
	}
	start := len(s) - len(rest)
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return s
	}
	return s[:start] + "***" + s[start+at:]
}

// didYouMean suggests the candidate nearest to name in spelling, if one is near.
func didYouMean(name string, candidates []string) string {
	best, bestDist := "", 3 // farther than two edits is no suggestion
	for _, c := range candidates {
		if d := levenshtein.Distance(strings.ToLower(name), c); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

// flagMessage rewrites the flag package's errors in the words of this command line: flags
// with two dashes, the nearest known flag for an unknown one.
func flagMessage(fs *flag.FlagSet, err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var known []string
		fs.VisitAll(func(f *flag.Flag) { known = append(known, f.Name) })
		if fs.Name() == "tuya-mcp "+cmdStdio { // flags before any command: also --version and --help
			known = append(known, "version", "help")
		}
		return fmt.Sprintf("unknown flag --%s%s", name, strings.Replace(didYouMean(name, known), "mean ", "mean --", 1))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return fmt.Sprintf("--%s needs a value", name)
	}
	var value, name string
	if n, _ := fmt.Sscanf(msg, "invalid value %q for flag -%s", &value, &name); n == 2 {
		name = strings.TrimSuffix(name, ":")
		if _, reason, ok := strings.Cut(msg, ": "); ok {
			return fmt.Sprintf("--%s %q: %s", name, value, valueReason(fs.Lookup(name), reason))
		}
	}
	return msg
}

// valueReason replaces the flag package's "parse error" with what the flag takes.
func valueReason(f *flag.Flag, reason string) string {
	g, ok := f.Value.(flag.Getter)
	if reason != "parse error" || !ok {
		return reason
	}
	switch g.Get().(type) {
	case float64:
		return "not a number such as 0.5"
	case int, int64, uint, uint64:
		return "not a whole number"
	case time.Duration:
		return "not a duration such as 30s or 2m"
	case bool:
		return "not a boolean (use true or false)"
	}
	return reason
}

// fileError says what could not be done with a file: the operating system's reason without
// the Go operation and temporary names a *fs.PathError carries.
func fileError(what, path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot %s %s: %w", what, path, err)
}

// listenError says why --listen could not be used, without the Go operation's wording
// ("listen tcp ...: bind: ...").
func listenError(addr string, err error) error {
	var se *os.SyscallError
	var ae *net.AddrError
	switch {
	case errors.As(err, &se):
		err = se.Err
	case errors.As(err, &ae):
		err = errors.New(ae.Err + "; give HOST:PORT, such as 127.0.0.1:9797 (port 0 picks a free port)")
	}
	return fmt.Errorf("cannot listen on %s (--listen): %w", addr, err)
}
