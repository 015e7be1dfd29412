package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/internal/jsonrpc"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// Subcommands.
const (
	cmdStdio   = "stdio"
	cmdHTTP    = "http"
	cmdTools   = "tools"
	cmdCall    = "call"
	cmdCheck   = "check"
	cmdSandbox = "sandbox"
	cmdVersion = "version"
	cmdHelp    = "help"
)

const (
	defaultHTTPListen    = "127.0.0.1:8080"
	defaultSandboxListen = "127.0.0.1:9797"
	defaultCallTimeout   = 30 * time.Second
)

// Config is everything a subcommand needs, resolved from the command line and the environment.
type Config struct {
	Command string

	// Cloud access (stdio, http, tools, call). Endpoint is resolved from Region when not given.
	AccessID     string
	AccessSecret string
	Region       string
	Endpoint     string
	// Sandbox replaces the cloud with an in-process emulator and its demo credentials.
	Sandbox bool

	// Tool server options.
	Schema          string
	ReadOnly        bool
	Toolsets        []string
	Tools           []string
	ExposeLocalKeys bool
	// ConfirmDestructive asks the user, through MCP elicitation, before a destructive call.
	ConfirmDestructive bool
	CallTimeout        time.Duration
	LogLevel           zerolog.Level
	// LogLevelSet: --log-level or TUYA_MCP_LOG_LEVEL was given.
	LogLevelSet bool
	// GOGC is the garbage collector's setting, as main applied it; the start-up line logs it.
	GOGC string

	// http and sandbox.
	Listen         string
	HTTPToken      string
	AllowedOrigins []string

	// tools.
	JSON     bool
	Markdown bool

	// call: the tool name as given (canonical or alias) and its decoded arguments.
	Tool     string
	ToolArgs map[string]any

	// Sharing a cloud project between processes (stdio, http, call; fleet.go): where the
	// token is kept, the project's rate budget in calls per second, and the metrics listener.
	TokenStore    string
	tokenStoreSet bool
	// tokenStoreFrom is the setting the store came from (--token-store or its variable), for messages.
	tokenStoreFrom string
	// cacheDir is the user's cache directory by the environment (userCacheDir), "" without one;
	// the default file store is in it.
	cacheDir           string
	RateLimit          int
	MetricsListen      string
	MetricsAllowRemote bool

	// sandbox: StateFile is loaded at start when it exists and saved at shutdown.
	StateFile string
	Faults    sandbox.Faults
	// sandbox: the project's access settings, as sandbox.Options takes them.
	Unsubscribed []string
	IPAllowlist  []netip.Prefix
}

// usageError is a problem with the command line or the environment: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// helpRequest is returned for -h, --help and `help`: print Usage and exit 0.
type helpRequest struct{ usage string }

func (h *helpRequest) Error() string { return "help requested" }

// parseConfig turns the arguments (without the program name) and the environment into a Config.
// It reads nothing else, so that every rule can be tested with plain values.
func parseConfig(args []string, env map[string]string) (Config, error) {
	cfg := Config{GOGC: env["GOGC"]}
	var err error
	if cfg.Command, args, err = splitCommand(args); err != nil {
		return cfg, err
	}
	if cfg.Command == cmdHelp {
		return cfg, &helpRequest{usage: topUsage()}
	}

	fs := flag.NewFlagSet("tuya-mcp "+cfg.Command, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	b := binder{fs: fs, env: env}
	switch cfg.Command {
	case cmdStdio, cmdHTTP, cmdTools, cmdCall, cmdCheck:
		b.cloudFlags(&cfg)
		b.fleetFlags(&cfg)
	case cmdSandbox:
		b.sandboxFlags(&cfg)
	}
	switch cfg.Command {
	case cmdHTTP:
		b.str(&cfg.Listen, "listen", "", defaultHTTPListen, "address to listen on; port 0 picks a free port")
		b.str(&cfg.HTTPToken, "http-token", "TUYA_MCP_HTTP_TOKEN", "",
			"require this bearer `token` on /mcp (mandatory for a non-loopback --listen)")
		b.list(&cfg.AllowedOrigins, "allowed-origins", "TUYA_MCP_ALLOWED_ORIGINS",
			"comma-separated browser `origins` allowed besides http(s)://localhost and loopback addresses; * allows any")
	case cmdTools:
		fs.BoolVar(&cfg.JSON, "json", false, "print the listed tools as JSON, as tools/list returns them")
		fs.BoolVar(&cfg.Markdown, "markdown", false, "print the tool table in Markdown (the README's table)")
	}

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, &helpRequest{usage: commandUsage(cfg.Command, fs)}
		}
		return cfg, &usageError{msg: flagMessage(fs, err)}
	}
	if err := b.applyEnv(); err != nil {
		return cfg, &usageError{msg: err.Error()}
	}
	fs.Visit(func(f *flag.Flag) { cfg.LogLevelSet = cfg.LogLevelSet || f.Name == "log-level" })
	cfg.LogLevelSet = cfg.LogLevelSet || env["TUYA_MCP_LOG_LEVEL"] != ""
	if err := cfg.finish(fs.Args()); err != nil {
		return cfg, &usageError{msg: err.Error()}
	}
	return cfg, nil
}

// finish checks the parsed values and derives the rest: endpoint, call arguments, fault values.
func (cfg *Config) finish(rest []string) error {
	switch cfg.Command {
	case cmdCall:
		if len(rest) == 0 {
			return errors.New("missing the tool to run: tuya-mcp call TOOL [JSON | key=value ...]; `tuya-mcp tools` lists them")
		}
		info, ok := findTool(rest[0])
		if !ok {
			return fmt.Errorf("unknown tool %q%s; `tuya-mcp tools` lists them", rest[0], didYouMean(rest[0], toolNames()))
		}
		args, err := parseToolArgs(info, rest[1:])
		if err != nil {
			return err
		}
		cfg.Tool, cfg.ToolArgs = rest[0], args
	case cmdTools:
		if cfg.JSON && cfg.Markdown {
			return errors.New("--json and --markdown exclude each other")
		}
		fallthrough
	default:
		if len(rest) > 0 {
			return fmt.Errorf("unexpected argument %q", rest[0])
		}
	}

	switch cfg.Command {
	case cmdStdio, cmdHTTP, cmdTools, cmdCall, cmdCheck:
		if err := checkSelection(*cfg); err != nil {
			return err
		}
	}
	switch cfg.Command {
	case cmdStdio, cmdHTTP, cmdCall, cmdCheck:
		if err := cfg.resolveCloud(); err != nil {
			return err
		}
		if err := checkFleet(cfg); err != nil {
			return err
		}
	case cmdSandbox:
		if err := checkFaults(cfg.Faults); err != nil {
			return err
		}
		// The credentials clients must send, as the client will send them: trimmed.
		if err := cfg.trimCredentials(); err != nil {
			return err
		}
		for _, c := range []struct{ v, flag string }{{cfg.AccessID, "--access-id"}, {cfg.AccessSecret, "--access-secret"}} {
			if c.v == "" {
				return fmt.Errorf("%s is empty: clients must send one, and the Tuya client sends none that is empty or only spaces", c.flag)
			}
		}
	}
	if cfg.Command == cmdHTTP {
		if cfg.HTTPToken == "" && !isLoopbackListen(cfg.Listen) {
			return fmt.Errorf("refusing to serve on %s without a token: anyone who can reach it could act on your "+
				"Tuya account; set --http-token or TUYA_MCP_HTTP_TOKEN, or listen on 127.0.0.1", cfg.Listen)
		}
	}
	if cfg.CallTimeout < 0 {
		return fmt.Errorf("--call-timeout must not be negative (got %s)", cfg.CallTimeout)
	}
	return nil
}

// resolveCloud checks that the cloud can be reached and turns the region into an endpoint.
func (cfg *Config) resolveCloud() error {
	if cfg.Sandbox {
		return nil
	}
	if err := cfg.trimCredentials(); err != nil {
		return err
	}
	var missing []string
	if cfg.AccessID == "" {
		missing = append(missing, "TUYA_ACCESS_ID (--access-id)")
	}
	if cfg.AccessSecret == "" {
		missing = append(missing, "TUYA_ACCESS_SECRET (--access-secret)")
	}
	if cfg.Endpoint == "" && cfg.Region == "" {
		missing = append(missing, "TUYA_REGION (--region: "+strings.Join(client.RegionNames(), ", ")+
			") or TUYA_ENDPOINT (--endpoint)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing Tuya cloud settings: %s; set them from your cloud project on "+
			"https://platform.tuya.com, or run with --sandbox to use the built-in emulator with demo data",
			strings.Join(missing, ", "))
	}
	if cfg.Endpoint != "" {
		return checkEndpoint(cfg.Endpoint)
	}
	ep, err := client.RegionEndpoint(cfg.Region)
	if err != nil {
		return fmt.Errorf("TUYA_REGION/--region %q: not a Tuya data centre (use one of %s, or --endpoint URL)",
			cfg.Region, strings.Join(client.RegionNames(), ", "))
	}
	cfg.Endpoint = ep
	return nil
}

// trimCredentials drops the white space around the Access ID and Secret, which a copy from a
// web page or a file with CRLF line ends adds, and refuses the control characters left: they
// cannot go in an HTTP header, and the cloud would blame the other setting.
func (cfg *Config) trimCredentials() error {
	for _, c := range []struct {
		p    *string
		name string
	}{{&cfg.AccessID, "TUYA_ACCESS_ID (--access-id)"}, {&cfg.AccessSecret, "TUYA_ACCESS_SECRET (--access-secret)"}} {
		*c.p = strings.TrimSpace(*c.p)
		if strings.ContainsFunc(*c.p, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return fmt.Errorf("%s has a control character in it: copy it again from the cloud project's Overview", c.name)
		}
	}
	return nil
}

func checkFaults(f sandbox.Faults) error {
	var errs []error
	for _, r := range []struct {
		name string
		v    float64
	}{{"--fail-rate", f.FailRate}, {"--drop-rate", f.DropRate}} {
		if !(r.v >= 0 && r.v <= 1) { // also refuses NaN
			errs = append(errs, fmt.Errorf("%s must be between 0 and 1 (got %g)", r.name, r.v))
		}
	}
	if !(f.QPS >= 0) {
		errs = append(errs, fmt.Errorf("--qps must not be negative (got %g)", f.QPS))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"--latency", f.Latency}, {"--latency-jitter", f.LatencyJitter}, {"--token-ttl", f.TokenTTL}} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("%s must not be negative (got %s)", d.name, d.v))
		}
	}
	return errors.Join(errs...)
}

// isLoopbackListen reports whether addr only accepts connections from this machine.
// An empty host means every interface.
func isLoopbackListen(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// findTool looks a tool up by canonical name or alias.
func findTool(name string) (tools.Info, bool) {
	for _, t := range tools.Catalogue() {
		if t.Name == name || (t.Alias != "" && t.Alias == name) {
			return t, true
		}
	}
	return tools.Info{}, false
}

// parseToolArgs reads `call` arguments: one JSON object, or key=value pairs whose values are
// taken as JSON when they parse, else as strings. A value for a property the input schema
// declares as a string is always taken verbatim, so that `user_id=1234` stays "1234".
func parseToolArgs(info tools.Info, args []string) (map[string]any, error) {
	out := map[string]any{}
	isObject := func(a string) bool { return strings.HasPrefix(strings.TrimSpace(a), "{") }
	if len(args) == 1 && isObject(args[0]) {
		if bad := notUnicode(args[0]); bad != "" {
			return nil, fmt.Errorf("arguments: the JSON object is %s", bad)
		}
		d := json.NewDecoder(strings.NewReader(args[0]))
		d.UseNumber()
		if err := d.Decode(&out); err != nil {
			return nil, fmt.Errorf("arguments: not a JSON object: %w", err)
		}
		if d.More() {
			return nil, errors.New("arguments: trailing data after the JSON object")
		}
		if k := duplicateKey(json.NewDecoder(strings.NewReader(args[0]))); k != "" {
			return nil, fmt.Errorf("argument %q given twice", k)
		}
		return out, nil
	}
	types := propertyTypes(info.InputSchema)
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if strings.HasPrefix(a, "-") {
			return nil, fmt.Errorf("argument %q: flags go before the tool name", a)
		}
		if isObject(a) {
			return nil, fmt.Errorf("argument %s: give either one JSON object or key=value pairs, not both", a)
		}
		if !ok || k == "" {
			return nil, fmt.Errorf("argument %q: want key=value (or a single JSON object)", a)
		}
		if bad := jsonrpc.NotUTF8([]byte(a)); bad != "" {
			return nil, fmt.Errorf("argument %q is %s", a, bad)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("argument %q given twice", k)
		}
		x, err := argValue(v, types[k])
		if err != nil {
			return nil, fmt.Errorf("argument %s: %w", k, err)
		}
		out[k] = x
	}
	return out, nil
}

// duplicateKey returns the first key that an object of the JSON value d reads (valid JSON)
// holds twice, with the keys of the objects around it ("commands.code"), or "": JSON decoders
// keep one of the two values silently, as key=value pairs do not.
func duplicateKey(d *json.Decoder) string {
	t, err := d.Token()
	if err != nil {
		return ""
	}
	switch t {
	case json.Delim('['):
		for d.More() {
			if k := duplicateKey(d); k != "" {
				return k
			}
		}
	case json.Delim('{'):
		seen := map[string]bool{}
		for d.More() {
			t, _ := d.Token()
			k, _ := t.(string)
			if seen[k] {
				return k
			}
			seen[k] = true
			if inner := duplicateKey(d); inner != "" {
				return k + "." + inner
			}
		}
	default:
		return ""
	}
	_, _ = d.Token() // the closing delimiter
	return ""
}

// notUnicode describes why JSON text is not Unicode, in the words of the JSON-RPC front, which
// refuses such text on stdio and HTTP (encoding/json would replace it silently), or returns "".
func notUnicode(text string) string {
	if bad := jsonrpc.NotUTF8([]byte(text)); bad != "" {
		return bad
	}
	if !json.Valid([]byte(text)) {
		return ""
	}
	if bad := jsonrpc.LoneSurrogate([]byte(text)); bad != "" {
		return "not Unicode text: " + bad
	}
	return ""
}

// argValue reads the value of a key=value argument: the text itself for a string property,
// else JSON when it parses as JSON, else the text.
func argValue(v, schemaType string) (any, error) {
	if schemaType == "string" {
		return v, nil
	}
	d := json.NewDecoder(strings.NewReader(v))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil || d.More() {
		return v, nil
	}
	if bad := notUnicode(v); bad != "" {
		return nil, fmt.Errorf("the JSON value is %s", bad)
	}
	return x, nil
}

// quoteHugeNumbers turns the numbers of v beyond a float64's range into their text, as the
// server's JSON-RPC front does on stdio and HTTP: the in-process session decodes arguments
// into float64 and would refuse the whole request, where the tool names the argument. It
// appends to quoted the JSON pointers of the numbers it turned, below at, which the request
// lists in its _meta as the front does, so that the tool still reads them as numbers.
func quoteHugeNumbers(v any, at string, quoted *[]any) any {
	switch x := v.(type) {
	case json.Number:
		if f, err := strconv.ParseFloat(string(x), 64); err != nil && math.IsInf(f, 0) {
			*quoted = append(*quoted, at)
			return string(x)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = quoteHugeNumbers(e, at+"/"+strings.NewReplacer("~", "~0", "/", "~1").Replace(k), quoted)
		}
	case []any:
		for i, e := range x {
			x[i] = quoteHugeNumbers(e, at+"/"+strconv.Itoa(i), quoted)
		}
	}
	return v
}

// propertyTypes maps each top-level property of an input schema to its "type".
func propertyTypes(schema json.RawMessage) map[string]string {
	var s struct {
		Properties map[string]struct {
			Type string `json:"type"`
		} `json:"properties"`
	}
	if json.Unmarshal(schema, &s) != nil {
		return nil
	}
	m := make(map[string]string, len(s.Properties))
	for k, p := range s.Properties {
		m[k] = p.Type
	}
	return m
}

// binder registers flags and the environment variables behind them. Variables are applied
// after parsing, to the flags not given, so that flags win; and a variable's value never shows
// up as a default in the help text (it may be a secret).
type binder struct {
	fs   *flag.FlagSet
	env  map[string]string
	vars []struct{ flag, env string }
	// fromEnv is the variable applyEnv is setting a flag from, "" for the command line.
	fromEnv string
}

// setting names where a flag's value comes from, as messages quote it: `--name "v"` or `VAR="v"`.
func (b *binder) setting(name, value string) string {
	if b.fromEnv != "" {
		return fmt.Sprintf("%s=%q", b.fromEnv, value)
	}
	return fmt.Sprintf("--%s %q", name, value)
}

func (b *binder) cloudFlags(cfg *Config) {
	if cfg.Command != cmdTools { // the list of tools does not depend on the cloud
		b.str(&cfg.AccessID, "access-id", "TUYA_ACCESS_ID", "", "Access ID of the Tuya cloud project")
		b.str(&cfg.AccessSecret, "access-secret", "TUYA_ACCESS_SECRET", "", "Access Secret of the Tuya cloud project")
		b.str(&cfg.Region, "region", "TUYA_REGION", "",
			"data centre of the cloud project: "+strings.Join(client.RegionNames(), ", "))
		b.str(&cfg.Endpoint, "endpoint", "TUYA_ENDPOINT", "", "base URL of the OpenAPI (a proxy, a sandbox), without a path; overrides --region")
		b.str(&cfg.Schema, "schema", "TUYA_APP_SCHEMA", "",
			"default app schema (the app's channel identifier) for the user tools and device_list")
	}
	b.boolean(&cfg.ReadOnly, "read-only", "TUYA_MCP_READ_ONLY", "hide and refuse every tool that changes something")
	b.list(&cfg.Toolsets, "toolsets", "TUYA_MCP_TOOLSETS",
		"comma-separated `toolsets` to offer ("+strings.Join(tools.ToolsetNames(), ", ")+"); default all")
	b.list(&cfg.Tools, "tools", "TUYA_MCP_TOOLS", "comma-separated `tools` to offer (names or aliases); default all")
	if cfg.Command != cmdTools && cfg.Command != cmdCheck { // they run no tool
		b.boolean(&cfg.ExposeLocalKeys, "expose-local-keys", "TUYA_MCP_EXPOSE_LOCAL_KEYS",
			"keep devices' local_key (LAN encryption key) in results")
		b.boolean(&cfg.ConfirmDestructive, "confirm-destructive", "TUYA_MCP_CONFIRM_DESTRUCTIVE",
			"ask the user (MCP elicitation; call: the terminal) before a tool that cannot be undone; refuse if the client cannot ask")
	}
	if cfg.Command != cmdTools { // listing calls nothing
		b.duration(&cfg.CallTimeout, "call-timeout", "TUYA_MCP_CALL_TIMEOUT", defaultCallTimeout, "time limit of one tool call")
	}
	// The one-shot commands print results; their logs would only be noise by default.
	logLevel := zerolog.InfoLevel
	if cfg.Command == cmdTools || cfg.Command == cmdCall || cfg.Command == cmdCheck {
		logLevel = zerolog.WarnLevel
	}
	b.level(&cfg.LogLevel, "TUYA_MCP_LOG_LEVEL", logLevel)
	if cfg.Command != cmdTools {
		b.fs.BoolVar(&cfg.Sandbox, "sandbox", false,
			"talk to an in-process Tuya cloud emulator with demo data instead of the real cloud")
	}
}

// fleetFlags are the settings for several processes sharing one cloud project (README
// "Running several replicas"). The token is shared on this machine by default for the
// one-client commands, kept in the process for http, whose replicas need Redis to share it.
// check uses the shared token too, so that it does not revoke the fleet's. Metrics are for
// the servers (stdio, http).
func (b *binder) fleetFlags(cfg *Config) {
	switch cfg.Command {
	case cmdStdio, cmdHTTP, cmdCall, cmdCheck:
	default:
		return
	}
	cfg.TokenStore = storeFile
	cfg.cacheDir = userCacheDir(b.env)
	if cfg.Command == cmdHTTP {
		cfg.TokenStore = storeMemory
	}
	b.fs.Func("token-store", b.bind("token-store", "TUYA_MCP_TOKEN_STORE",
		"where the access token is kept: memory, file[:DIR] (shared by this machine's processes) or "+
			"redis://[user:password@]host:port/db, rediss://... (shared by a fleet, with the rate and retry budgets) "+
			"(default "+cfg.TokenStore+"; always memory with --sandbox)"),
		func(s string) error {
			// The value is checked in checkFleet: a flag error would quote a Redis password.
			cfg.TokenStore, cfg.tokenStoreSet = strings.TrimSpace(s), true
			cfg.tokenStoreFrom = b.setting("token-store", redactURL(cfg.TokenStore))
			return nil
		})
	if cfg.Command == cmdCheck {
		return
	}
	b.fs.Func("rate-limit", b.bind("rate-limit", "TUYA_MCP_RATE_LIMIT",
		"calls per second allowed to the cloud project (the fleet's, with a Redis store); calls wait for budget (0: no limit)"),
		func(s string) error {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			switch {
			case err != nil:
				return errors.New("not a whole number")
			case n < 0:
				return errors.New("must not be negative")
			}
			cfg.RateLimit = n
			return nil
		})
	if cfg.Command == cmdStdio || cfg.Command == cmdHTTP {
		b.str(&cfg.MetricsListen, "metrics-listen", "TUYA_MCP_METRICS_LISTEN", "",
			"serve Prometheus metrics on http://`ADDR`/metrics, a host:port such as 127.0.0.1:9464 (off by default)")
		b.boolean(&cfg.MetricsAllowRemote, "metrics-allow-remote", "TUYA_MCP_METRICS_ALLOW_REMOTE",
			"allow a --metrics-listen address other machines can reach (the metrics have no authentication)")
	}
}

func (b *binder) sandboxFlags(cfg *Config) {
	f := &cfg.Faults
	b.fs.StringVar(&cfg.Listen, "listen", defaultSandboxListen, "address to listen on; port 0 picks a free port")
	b.fs.StringVar(&cfg.AccessID, "access-id", sandbox.DemoAccessID, "Access ID clients must use")
	b.fs.StringVar(&cfg.AccessSecret, "access-secret", sandbox.DemoAccessSecret, "Access Secret clients must use")
	b.fs.StringVar(&cfg.StateFile, "state", "", "state file: loaded at start when it exists, saved at shutdown")
	b.fs.DurationVar(&f.Latency, "latency", 0, "latency added to every request")
	b.fs.DurationVar(&f.LatencyJitter, "latency-jitter", 0, "extra random latency, up to this much")
	b.fs.Float64Var(&f.FailRate, "fail-rate", 0, "share of requests answered with code 500 (0 to 1)")
	b.fs.Float64Var(&f.QPS, "qps", 0, "requests per second allowed; more are answered with code 1110 (0: no limit)")
	b.fs.DurationVar(&f.TokenTTL, "token-ttl", 0, "lifetime of access tokens (0: 2h, as the cloud)")
	b.fs.BoolVar(&f.RevokeOnGrant, "revoke-on-grant", false, "a new token grant invalidates every earlier token")
	b.fs.Float64Var(&f.DropRate, "drop-rate", 0, "share of requests whose connection is closed unanswered (0 to 1)")
	b.fs.Int64Var(&f.Seed, "seed", 1, "seed of the fault generator, for reproducible runs")
	b.fs.Func("quirks", "comma-separated `quirks` of the real cloud's answers to imitate: numbers (as strings, and digit "+
		"strings as numbers), bools (as 0/1), nulls, noresult (writes without a result), extra (undocumented fields), or all",
		func(s string) error {
			q, err := sandbox.ParseQuirks(s)
			f.Quirks = q
			return err
		})
	b.projectAccessFlags(cfg)
	b.level(&cfg.LogLevel, "TUYA_MCP_LOG_LEVEL", zerolog.InfoLevel)
}

func (b *binder) bind(name, envName, usage string) string {
	if envName == "" {
		return usage
	}
	b.vars = append(b.vars, struct{ flag, env string }{name, envName})
	return usage + " (env " + envName + ")"
}

// applyEnv sets each flag not given on the command line from its environment variable.
func (b *binder) applyEnv() error {
	given := map[string]bool{}
	b.fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	for _, v := range b.vars {
		val := b.env[v.env]
		if given[v.flag] || val == "" {
			continue
		}
		b.fromEnv = v.env
		if err := b.fs.Lookup(v.flag).Value.Set(val); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", v.env, val, err))
		}
		b.fromEnv = ""
	}
	return errors.Join(errs...)
}

func (b *binder) str(p *string, name, envName, def, usage string) {
	b.fs.StringVar(p, name, def, b.bind(name, envName, usage))
}

func (b *binder) list(p *[]string, name, envName, usage string) {
	b.fs.Func(name, b.bind(name, envName, usage), func(s string) error {
		*p = splitList(s)
		return nil
	})
}

func (b *binder) boolean(p *bool, name, envName, usage string) {
	b.fs.Var((*boolFlag)(p), name, b.bind(name, envName, usage))
}

func (b *binder) duration(p *time.Duration, name, envName string, def time.Duration, usage string) {
	*p = def
	usage += ", a `duration` such as 30s or 2m (default " + def.String() + ")"
	b.fs.Func(name, b.bind(name, envName, usage), func(s string) error {
		d, err := time.ParseDuration(s)
		if err != nil {
			return errors.New("not a duration such as 30s or 2m")
		}
		*p = d
		return nil
	})
}

func (b *binder) level(p *zerolog.Level, envName string, def zerolog.Level) {
	*p = def
	usage := "`level` of the logs on stderr: debug, info, warn, error or disabled (default " + def.String() + ")"
	b.fs.Func("log-level", b.bind("log-level", envName, usage), func(s string) error {
		l, err := parseLevel(s)
		*p = l
		return err
	})
}

func parseLevel(s string) (zerolog.Level, error) {
	switch l, err := zerolog.ParseLevel(strings.ToLower(s)); {
	case err != nil, l == zerolog.NoLevel:
		return zerolog.InfoLevel, errors.New("not a log level (debug, info, warn, error, disabled)")
	default:
		return l, nil
	}
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// parseBool accepts what people write in environment files.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return false, errors.New("not a boolean (use 1, true, yes or 0, false, no)")
}

// boolFlag is a flag.Value that accepts the same words as parseBool, and no value at all.
type boolFlag bool

func (f *boolFlag) String() string {
	if f == nil {
		return "false"
	}
	return strconv.FormatBool(bool(*f))
}

func (f *boolFlag) Set(s string) error {
	v, err := parseBool(s)
	if err == nil {
		*f = boolFlag(v)
	}
	return err
}

func (f *boolFlag) IsBoolFlag() bool { return true }
