// Package tools exposes the Tuya Cloud user, device, device-user and device control operations as MCP tools:
// one constructor per tool, each with a typed argument struct (its input schema), a result struct
// (its output schema) and a handler that checks every argument before a request is sent.
package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/internal/jsonrpc"
	"github.com/tuya-mcp/tuya-mcp/internal/levenshtein"
)

// Options configure the server NewServer builds.
type Options struct {
	// DefaultSchema is the app schema used when a tool's schema argument is not given
	// (TUYA_APP_SCHEMA).
	DefaultSchema string
	// ReadOnly hides and refuses every tool that is not read-only.
	ReadOnly bool
	// Toolsets keeps only the tools of these toolsets; empty keeps all.
	Toolsets []string
	// Tools keeps only these tools (canonical names or aliases); empty keeps all.
	Tools []string
	// ExposeLocalKeys keeps devices' local_key in results; by default it is removed, since
	// transcripts go to model providers.
	ExposeLocalKeys bool
	// ConfirmDestructive makes the destructive tools (user_sync, device_factory_reset,
	// device_delete, device_user_delete, and device_command_send to a device of a safety
	// category) ask the user for confirmation through MCP elicitation before calling Tuya. Calls
	// from clients that cannot ask are refused.
	ConfirmDestructive bool
	// CallTimeout bounds each tool call; zero means DefaultCallTimeout.
	CallTimeout time.Duration
	// Logger gets one line per tool call; the zero value logs nothing.
	Logger zerolog.Logger
	// Version is the server version reported in initialize.
	Version string
	// Now is the clock for default time windows; nil means time.Now.
	Now func() time.Time
	// Observer is told about every tool call, for metrics; nil means none.
	Observer Observer
	// Hidden, when set, says why a tool the selection leaves out is not offered: such a tool
	// stays out of tools/list, and a call to it is answered with this text as an error result
	// (isError) rather than a bare "tool not found". The command line passes its option names.
	Hidden func(name string) string
}

// DefaultCallTimeout bounds a tool call when Options.CallTimeout is zero.
const DefaultCallTimeout = 30 * time.Second

// ServerName is the server name reported in initialize.
const ServerName = "tuya-mcp"

// Info describes one tool of the catalogue.
type Info struct {
	Name        string
	Title       string
	Toolset     string
	Alias       string // the documented action name accepted on tools/call, or ""
	Description string

	ReadOnly, Destructive, Idempotent, OpenWorld bool
	// DestructiveWhen says when a tool that is not destructive as a whole is for some targets
	// (device_command_send: "for the safety categories"), or "".
	DestructiveWhen string

	InputSchema, OutputSchema json.RawMessage
}

// catalogue returns every tool, in catalogue order.
func catalogue() []tool {
	return []tool{
		userSync(), userList(), userGet(),
		deviceGet(), deviceList(), userDeviceList(), deviceLogList(), deviceRename(),
		deviceFunctionRename(), deviceFactoryReset(), deviceDelete(), deviceSubDeviceList(),
		deviceFactoryInfoList(), deviceOutletNameSet(), deviceOutletNameList(),
		deviceUserAdd(), deviceUserEdit(), deviceUserDelete(), deviceUserGet(), deviceUserList(),
		deviceStatusGet(), deviceSpecificationGet(), categoryFunctionList(), deviceCommandSend(),
	}
}

// ToolsetNames returns the toolsets in catalogue order.
func ToolsetNames() []string {
	return []string{toolsetUsers, toolsetDevices, toolsetDeviceUsers, toolsetDeviceControl}
}

// built is a tool with its schemas.
type built struct {
	tool
	in, out json.RawMessage
}

func buildAll() ([]built, error) {
	ts := catalogue()
	out := make([]built, len(ts))
	for i, t := range ts {
		if t.err != nil {
			return nil, t.err
		}
		in, res, err := schemasOf(t.name)
		if err != nil {
			return nil, err
		}
		out[i] = built{tool: t, in: in, out: res}
	}
	return out, nil
}

// Catalogue returns all tools in catalogue order, with their schemas. It panics if a tool's
// definition is broken or its schemas were not generated, which the tests rule out.
func Catalogue() []Info {
	bs, err := buildAll()
	if err != nil {
		panic(err)
	}
	out := make([]Info, len(bs))
	for i, b := range bs {
		out[i] = Info{
			Name: b.name, Title: b.title, Toolset: b.toolset, Alias: b.alias, Description: b.description,
			ReadOnly: b.readOnly, Destructive: b.destructive, Idempotent: b.idempotent, OpenWorld: true,
			DestructiveWhen: b.destructiveWhen,
			InputSchema:     b.in, OutputSchema: b.out,
		}
	}
	return out
}

// instructions tell a model how the tools fit together.
const instructions = `Tuya Cloud tools: app users, devices, device users and device control.
- Ids come from the list tools: device_list (or user_device_list for one user) finds device_id; user_list finds uid; device_user_list finds a device's user_id.
- schema (the app) defaults to the server's configured app; pass it only for another app.
- Times accept RFC 3339, YYYY-MM-DD, or unix seconds or milliseconds. Lists default to page 1 of 20; user_list to the last 30 days, device_log_list to the last 7.
- Destructive tools (user_sync, device_factory_reset, device_delete, device_user_delete) cannot be undone: confirm with the user first. device_user_add is not idempotent: if its outcome is unknown, check device_user_list before retrying.
- Before device_command_send, read device_specification_get: send only codes under functions, with values of their type in range (Integers in raw units: real = raw / 10^scale). It is not idempotent: if its outcome is unknown, read device_status_get before sending again.
- An isError result says what to fix (argument, Tuya error code and hint).`

// confirmInstructions are added when the server asks the user itself (ConfirmDestructive).
const confirmInstructions = `
- This server asks the user to confirm every destructive call before it runs. A call the user declined says it was not run: do not retry it unless the user asks again.`

// NewServer returns an MCP server exposing the selected tools, calling Tuya through c. It fails
// on unknown toolset or tool names (listing the valid ones) and when nothing is selected.
func NewServer(c *client.Client, opts Options) (*server.MCPServer, error) {
	if c == nil {
		return nil, errors.New("tools: a client is required")
	}
	bs, err := buildAll()
	if err != nil {
		return nil, err
	}
	selected, err := selectTools(bs, opts)
	if err != nil {
		return nil, err
	}
	timeout := opts.CallTimeout
	if timeout <= 0 {
		timeout = DefaultCallTimeout
	}
	e := &env{c: c, schema: opts.DefaultSchema, now: opts.Now, exposeLocalKeys: opts.ExposeLocalKeys,
		confirmDestructive: opts.ConfirmDestructive, specs: newSpecCache()}
	if e.now == nil {
		e.now = time.Now
	}
	e.obs = opts.Observer
	if e.obs == nil {
		e.obs = nopObserver{}
	}

	hooks := &server.Hooks{}
	aliases := make(map[string]string)
	for _, b := range bs {
		if b.alias != "" {
			aliases[b.alias] = b.name
		}
	}
	// Aliases are rewritten before the lookup, so filters and handlers only see canonical names.
	hooks.AddBeforeCallTool(func(_ context.Context, _ any, req *mcp.CallToolRequest) {
		if name, ok := aliases[req.Params.Name]; ok {
			req.Params.Name = name
		}
	})
	offered := make(map[string]bool, len(selected))
	for _, b := range selected {
		offered[b.name] = true
	}
	if opts.Hidden != nil {
		hooks.AddAfterListTools(func(_ context.Context, _ any, _ *mcp.ListToolsRequest, res *mcp.ListToolsResult) {
			res.Tools = slices.DeleteFunc(res.Tools, func(t mcp.Tool) bool { return !offered[t.Name] })
		})
	}
	instr := instructions
	if opts.ConfirmDestructive {
		instr += confirmInstructions
	}
	so := []server.ServerOption{
		server.WithToolCapabilities(false),
		server.WithInstructions(instr),
		server.WithHooks(hooks),
		server.WithRecovery(),
	}
	// mcp-go logs every request at info; one line per tool call (ours) is the info level here,
	// so its lines go to debug. Its logger builds each line's attributes before asking whether
	// the level is enabled, so it is installed only when debug lines are written.
	if opts.Logger.Debug().Enabled() {
		so = append(so, server.WithLogger(slog.New(demoted{zerolog.NewSlogHandler(opts.Logger)})))
	}
	if opts.ConfirmDestructive {
		so = append(so, server.WithElicitation())
	}
	s := server.NewMCPServer(ServerName, opts.Version, so...)
	for _, b := range bs {
		switch {
		case offered[b.name]:
			s.AddTool(b.mcpTool(b.in, b.out), e.handler(&b.tool, timeout, opts.Logger))
		case opts.Hidden != nil:
			reason := opts.Hidden(b.name)
			s.AddTool(b.mcpTool(b.in, b.out), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
				return mcp.NewToolResultError(reason), nil
			})
		}
	}
	return s, nil
}

// selectTools applies the toolset, tool and read-only selection.
func selectTools(bs []built, opts Options) ([]built, error) {
	sets, err := names(opts.Toolsets, ToolsetNames(), "toolset", nil)
	if err != nil {
		return nil, err
	}
	var valid []string
	aliases := make(map[string]string)
	for _, b := range bs {
		valid = append(valid, b.name)
		if b.alias != "" {
			aliases[b.alias] = b.name
		}
	}
	tools, err := names(opts.Tools, valid, "tool", aliases)
	if err != nil {
		return nil, err
	}
	var out []built
	for _, b := range bs {
		if (sets == nil || slices.Contains(sets, b.toolset)) &&
			(tools == nil || slices.Contains(tools, b.name)) &&
			(!opts.ReadOnly || b.readOnly) {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("tools: the toolset, tool and read-only options leave no tool to serve")
	}
	return out, nil
}

// names checks a list of names from the configuration against valid (after mapping aliases)
// and returns the canonical names, or nil when the list is empty (no restriction).
func names(given, valid []string, kind string, aliases map[string]string) ([]string, error) {
	var out, unknown []string
	for _, n := range given {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if canon, ok := aliases[n]; ok {
			n = canon
		}
		if !slices.Contains(valid, n) {
			unknown = append(unknown, n)
			continue
		}
		out = append(out, n)
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("tools: unknown %s %s (valid: %s)", kind, strings.Join(unknown, ", "), strings.Join(valid, ", "))
	}
	return out, nil
}

// demoted lowers the level of every record by one step (info to debug, warn to info).
type demoted struct {
	slog.Handler
}

const levelStep = slog.LevelInfo - slog.LevelDebug

func (d demoted) Enabled(ctx context.Context, l slog.Level) bool {
	return d.Handler.Enabled(ctx, l-levelStep)
}

// Handle lowers the level, and gives mcp-go's duration_s in milliseconds as duration_ms, the
// unit of every other log line.
func (d demoted) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level-levelStep, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "duration_s" && a.Value.Kind() == slog.KindFloat64 {
			a = slog.Float64("duration_ms", a.Value.Float64()*1000)
		}
		out.AddAttrs(a)
		return true
	})
	return d.Handler.Handle(ctx, out)
}

func (d demoted) WithAttrs(attrs []slog.Attr) slog.Handler {
	return demoted{d.Handler.WithAttrs(attrs)}
}

func (d demoted) WithGroup(name string) slog.Handler {
	return demoted{d.Handler.WithGroup(name)}
}

// CallCheck returns the check the JSON-RPC front applies before s reads a request (see
// jsonrpc.Check): a tools/call naming no tool s serves, under its name or its alias, is refused
// in words, with the nearest tool name, where mcp-go would say "tool 'x' not found: tool not
// found". Its code stays -32602, as MCP specifies for an unknown tool.
func CallCheck(s *server.MCPServer) jsonrpc.Check {
	aliases := make(map[string]bool)
	for _, i := range Catalogue() {
		if i.Alias != "" {
			aliases[i.Alias] = true
		}
	}
	return func(method string, params json.RawMessage) string {
		var p struct {
			Name *string `json:"name"`
		}
		if method != string(mcp.MethodToolsCall) || json.Unmarshal(params, &p) != nil {
			// Params that are not an object, or a name that is not a string: mcp-go says.
			return ""
		}
		switch {
		case p.Name == nil || strings.TrimSpace(*p.Name) == "":
			return "params.name must name the tool to call; tools/list lists the tools"
		case aliases[*p.Name] || s.GetTool(*p.Name) != nil:
			return ""
		}
		return "unknown tool " + strconv.Quote(clip(*p.Name)) + nearestTool(*p.Name, slices.Sorted(maps.Keys(s.ListTools()))) +
			"; tools/list lists the tools"
	}
}

// nearestTool suggests the name among names nearest to name, as " (did you mean x?)", or "".
func nearestTool(name string, names []string) string {
	best, bestDist := "", maxNearMiss+1
	for _, n := range names {
		if !nearMiss(name, n) {
			continue
		}
		if d := levenshtein.Distance(strings.ToLower(name), n); d < bestDist || best == "" {
			best, bestDist = n, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}
