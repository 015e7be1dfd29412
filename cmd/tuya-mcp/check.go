package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
)

// errCheckFailed reports that `check` printed at least one capability that does not work:
// exit status 1, nothing more to say.
var errCheckFailed = errors.New("the cloud project is not set up for every offered toolset")

// capability is one line of `check`: the cheapest read of a toolset. A new toolset adds one
// entry to capabilities.
type capability struct {
	toolset string
	// tool is the tool whose operation the probe makes, for the reader.
	tool string
	// service is the Tuya cloud service the project subscribes to for this toolset's APIs.
	service string
	// probe makes the read in the app of schema and returns a note about what it saw.
	probe func(ctx context.Context, c *client.Client, schema string) (string, error)
}

func capabilities() []capability {
	return []capability{
		{toolset: "users", tool: "user_list", service: "IoT Core", probe: func(
			ctx context.Context, c *client.Client, schema string) (string, error) {
			now := time.Now()
			l, err := c.ListUsers(ctx, schema, client.ListUsersRequest{PageNo: 1, PageSize: 1,
				StartTime: now.Add(-30 * 24 * time.Hour).Unix(), EndTime: now.Unix()})
			if err != nil {
				return "", err
			}
			if err := listAnswer(l.Record, "list", "total"); err != nil {
				return "", err
			}
			return fmt.Sprintf("app %s: %d user(s) created in the last 30 days", schema, l.Total), nil
		}},
		{toolset: "devices", tool: "device_list", service: "IoT Core", probe: onFirstDevice(nil)},
		{toolset: "device_users", tool: "device_user_list", service: "IoT Core", probe: onFirstDevice(
			func(ctx context.Context, c *client.Client, id string) (string, error) {
				users, err := c.ListDeviceUsers(ctx, id)
				return fmt.Sprintf("device %s: %d user(s)", id, len(users)), err
			})},
		{toolset: "device_control", tool: "device_status_get", service: "IoT Core", probe: onFirstDevice(
			func(ctx context.Context, c *client.Client, id string) (string, error) {
				status, err := c.GetDeviceStatus(ctx, id)
				return fmt.Sprintf("device %s: %d data point(s)", id, len(status)), err
			})},
	}
}

// onFirstDevice lists one device of the app and, when there is one and f is not nil, makes the
// read of f on it.
func onFirstDevice(f func(ctx context.Context, c *client.Client, deviceID string) (string, error),
) func(context.Context, *client.Client, string) (string, error) {
	return func(ctx context.Context, c *client.Client, schema string) (string, error) {
		l, err := c.ListDevices(ctx, client.ListDevicesRequest{PageNo: 1, PageSize: 1, Schema: schema})
		if err == nil {
			err = listAnswer(l.Record, "devices", "total")
		}
		switch {
		case err != nil:
			return "", err
		case f == nil:
			return fmt.Sprintf("app %s: %d device(s)", schema, l.Total), nil
		case len(l.Devices) == 0:
			return "", &notTried{fmt.Sprintf("app %s has no device yet, so this read was not tried: pair a device "+
				"with the app (or link the app: Devices > Link App Account) and run check again", schema)}
		}
		return f(ctx, c, l.Devices[0].ID)
	}
}

// errNotAList is a list read whose answer holds neither the list nor its total: an endpoint
// that answers every path alike, not the Tuya cloud, whose empty list is still a list.
var errNotAList = errors.New("the answer holds no list")

// listAnswer returns errNotAList when the answer r records sent none of fields.
func listAnswer(r client.Record, fields ...string) error {
	for _, f := range fields {
		if r.Sent(f) {
			return nil
		}
	}
	return errNotAList
}

// notTried is a probe that could not make its read: the toolset is neither known to work nor
// known to fail.
type notTried struct{ why string }

func (e *notTried) Error() string { return e.why }

// region is a data centre and its endpoint.
type region struct{ name, url string }

// tuyaRegions lists the real data centres, where `check` looks for a project its endpoint does
// not know.
func tuyaRegions() []region {
	var rs []region
	for _, n := range client.RegionNames() {
		u, _ := client.RegionEndpoint(n)
		rs = append(rs, region{n, u})
	}
	return rs
}

// runCheck grants a token and makes the cheapest read of each offered toolset, printing one
// line per capability on stdout: OK, or what is wrong and what to change.
func runCheck(ctx context.Context, cfg Config, log zerolog.Logger, stdout io.Writer) error {
	return checkProject(ctx, cfg, log, stdout, tuyaRegions())
}

// checkProject is runCheck with the data centres to search when the endpoint does not know
// the Access ID (1005); tests pass sandboxes.
func checkProject(ctx context.Context, cfg Config, log zerolog.Logger, stdout io.Writer, regions []region) error {
	offered, err := listedTools(ctx, cfg, log)
	if err != nil {
		return err
	}
	toolsets := map[string]bool{}
	for _, t := range offered {
		toolsets[t.Toolset] = true
	}
	if cfg.Sandbox {
		sb, err := sandbox.Start(sandbox.Options{Logger: log.With().Str("component", "sandbox").Logger()})
		if err != nil {
			return fmt.Errorf("start the sandbox: %w", err)
		}
		defer sb.Close()
		cfg.AccessID, cfg.AccessSecret, cfg.Endpoint = sandbox.DemoAccessID, sandbox.DemoAccessSecret, sb.URL
		if cfg.Schema == "" {
			cfg.Schema = sandbox.DemoSchema
		}
	}
	// The shared token (--token-store), so that checking does not revoke the other processes'.
	fl, err := openFleet(cfg, log)
	if err != nil {
		return err
	}
	defer fl.close()
	cc := checkClientConfig(cfg, cfg.Endpoint, log)
	fl.apply(cfg, &cc)
	c, err := client.New(cc)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	defer c.CloseIdleConnections()

	timeout := checkTimeout(cfg)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "endpoint\t%s\n", cfg.Endpoint)
	// The cheapest call that needs a token; only whether the token was granted counts here.
	tctx, cancel := context.WithTimeout(ctx, timeout)
	_, tokenErr := c.ListDevices(tctx, client.ListDevicesRequest{PageNo: 1, PageSize: 1, Schema: cfg.Schema})
	cancel()
	failed := tokenFailed(tokenErr)
	if failed {
		fmt.Fprintf(tw, "access token\tFAIL\t%s\n", advice(ctx, cfg, capability{}, tokenErr, regions, log))
	} else {
		fmt.Fprintf(tw, "access token\tOK\tgranted to Access ID %s\n", cfg.AccessID)
	}
	for _, cp := range capabilities() {
		if !toolsets[cp.toolset] {
			continue
		}
		name := cp.toolset + " (" + cp.tool + ")"
		if tokenFailed(tokenErr) {
			fmt.Fprintf(tw, "%s\tFAIL\tnot checked: no access token\n", name)
			continue
		}
		if cfg.Schema == "" {
			failed = true
			fmt.Fprintf(tw, "%s\tFAIL\tno app schema: set TUYA_APP_SCHEMA (--schema) to the app's channel identifier "+
				"(the cloud project's Devices > Link App Account lists the linked apps)\n", name)
			continue
		}
		pctx, cancel := context.WithTimeout(ctx, timeout)
		note, err := cp.probe(pctx, c, cfg.Schema)
		cancel()
		var nt *notTried
		switch {
		case errors.As(err, &nt):
			failed = true
			fmt.Fprintf(tw, "%s\tSKIP\t%s\n", name, nt.why)
		case err == nil:
			fmt.Fprintf(tw, "%s\tOK\t%s\n", name, note)
		case !setupProblem(err):
			// The API answered about the data (a device that has no users, say): the project
			// is allowed to call it, which is all `check` asks.
			fmt.Fprintf(tw, "%s\tOK\tthe API answered: %v\n", name, err)
		default:
			failed = true
			fmt.Fprintf(tw, "%s\tFAIL\t%s\n", name, advice(ctx, cfg, cp, err, regions, log))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if failed {
		return errCheckFailed
	}
	return nil
}

// checkTimeout is the time limit of each of check's reads.
func checkTimeout(cfg Config) time.Duration {
	if cfg.CallTimeout == 0 {
		return tools.DefaultCallTimeout
	}
	return cfg.CallTimeout
}

// checkClientConfig is the client of one check: a failure is reported, not retried at length.
func checkClientConfig(cfg Config, endpoint string, log zerolog.Logger) client.Config {
	return client.Config{AccessID: cfg.AccessID, AccessSecret: cfg.AccessSecret, Endpoint: endpoint,
		MaxAttempts: 2, RequestTimeout: 10 * time.Second, Logger: log.With().Str("component", "client").Logger()}
}

// tokenFailed reports whether err came from the token grant, or from no answer at all.
func tokenFailed(err error) bool {
	if err == nil {
		return false
	}
	var ae *client.APIError
	if errors.As(err, &ae) {
		return strings.HasPrefix(ae.Path, "/v1.0/token")
	}
	var he *client.HTTPError
	if errors.As(err, &he) {
		return strings.HasPrefix(he.Path, "/v1.0/token")
	}
	return true // the endpoint could not be reached
}

// setupProblem reports whether err says something about the project's set-up: no answer, or
// one of the cloud's codes about credentials, data centre, app, permissions, plan or address.
func setupProblem(err error) bool {
	var ae *client.APIError
	if !errors.As(err, &ae) {
		return true
	}
	switch ae.Code {
	case client.CodeSignInvalid, 1005, client.CodeRequestTimeInvalid, client.CodeURIPathInvalid, client.CodePermissionDeny, 1114,
		client.CodeSchemaNotExist, client.CodePlanExpired, client.CodeTrialQuotaUsed, 28841001,
		client.CodeAPINotSubscribed, 28841105, 28841106:
		return true
	}
	return false
}

// advice says what is wrong and what to change, in the settings' and the platform's words.
func advice(ctx context.Context, cfg Config, cp capability, err error, regions []region, log zerolog.Logger) string {
	const platform = "on https://platform.tuya.com, open the cloud project"
	const endpointHint = "check TUYA_ENDPOINT (--endpoint) or TUYA_REGION (--region)"
	var ae *client.APIError
	var he *client.HTTPError
	var na *client.NoAnswerError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("%s timed out after %s: %s, and this machine's network; or allow more time "+
			"with --call-timeout", cfg.Endpoint, checkTimeout(cfg), endpointHint)
	case errors.As(err, &he):
		return fmt.Sprintf("%s does not answer like the Tuya cloud (HTTP %d): %s", cfg.Endpoint, he.StatusCode, endpointHint)
	case errors.As(err, &na):
		return fmt.Sprintf("cannot reach %s (%s): %s, and this machine's network", cfg.Endpoint, na.Cause(), endpointHint)
	case !errors.As(err, &ae):
		// An answer the client could not use, such as a token answer without a token.
		service := "the Tuya cloud's token service"
		if cp.toolset != "" {
			service = "the Tuya cloud"
		}
		return fmt.Sprintf("%s answered, but not like %s: %s", cfg.Endpoint, service, endpointHint)
	}
	said := fmt.Sprintf("Tuya error %d (%s)", ae.Code, ae.Msg)
	switch ae.Code {
	case client.CodeURIPathInvalid:
		return said + ": " + cfg.Endpoint + " is not the API's base URL: set TUYA_ENDPOINT (--endpoint) to the " +
			"base URL without a path, such as https://openapi.tuyaeu.com, or set TUYA_REGION (--region) instead"
	case client.CodeSignInvalid:
		return said + ": the Access Secret does not match the Access ID: copy it again from the cloud project's " +
			"Overview into TUYA_ACCESS_SECRET (--access-secret); if it is right, set this machine's clock right"
	case 1005:
		return said + ": " + wrongDataCentre(ctx, cfg, regions, log)
	case client.CodeRequestTimeInvalid:
		return said + ": this machine's clock is off by more than a few minutes: synchronise it (NTP)"
	case 1114:
		return said + ": this machine's public IP address is not on the cloud project's IP allowlist: " +
			platform + "'s Overview and add it to the allowlist, or turn the allowlist off"
	case client.CodeSchemaNotExist:
		return fmt.Sprintf("%s: no app has the schema %q in this project: set TUYA_APP_SCHEMA (--schema) to the "+
			"app's channel identifier (Devices > Link App Account lists the linked apps)", said, cfg.Schema)
	case client.CodePermissionDeny:
		if cp.toolset == "users" {
			return fmt.Sprintf("%s: the project may not read app %q: check TUYA_APP_SCHEMA (--schema), and that the "+
				"app is linked to the cloud project (Devices > Link App Account)", said, cfg.Schema)
		}
		return fmt.Sprintf("%s: the project lacks the permission for %s: %s > Service API and authorise %s",
			said, ae.Path, platform, cp.service)
	case client.CodeAPINotSubscribed, 28841106:
		return fmt.Sprintf("%s: the project is not subscribed to the %s service (for %s %s): %s > Service API "+
			"> Go to Authorize, and subscribe to %s", said, cp.service, ae.Method, ae.Path, platform, cp.service)
	case 28841105:
		return fmt.Sprintf("%s: the project is not authorised to call %s %s: %s > Service API > Go to Authorize, "+
			"and authorise %s for this project", said, ae.Method, ae.Path, platform, cp.service)
	case client.CodePlanExpired:
		return said + ": the project's cloud development plan has expired: renew it on https://platform.tuya.com " +
			"(Cloud > Cloud Services > Cloud Development)"
	case client.CodeTrialQuotaUsed:
		return said + ": the Trial Edition's quota is used up: upgrade the cloud development plan on " +
			"https://platform.tuya.com (Cloud > Cloud Services > Cloud Development)"
	case 28841001:
		return fmt.Sprintf("%s: the project may not call %s %s: %s > Service API and check that %s is subscribed "+
			"and authorised", said, ae.Method, ae.Path, platform, cp.service)
	}
	return said
}

// wrongDataCentre explains a 1005 (clientId invalid). When the endpoint is one of the data
// centres, the others are asked for a token with the same credentials: the one that grants it
// is where the project lives.
func wrongDataCentre(ctx context.Context, cfg Config, regions []region, log zerolog.Logger) string {
	here := ""
	for _, r := range regions {
		if r.url == strings.TrimRight(cfg.Endpoint, "/") {
			here = r.name
		}
	}
	idWrong := "the Access ID is not known there: copy it again from the cloud project's Overview into " +
		"TUYA_ACCESS_ID (--access-id)"
	if here == "" {
		return fmt.Sprintf("%s does not know this Access ID: check TUYA_ACCESS_ID (--access-id), and that "+
			"TUYA_ENDPOINT (--endpoint) serves the project's data centre", cfg.Endpoint)
	}
	found := make([]string, len(regions))
	var wg sync.WaitGroup
	for i, r := range regions {
		if r.name == here {
			continue
		}
		wg.Go(func() {
			c, err := client.New(checkClientConfig(cfg, r.url, log))
			if err != nil {
				return
			}
			defer c.CloseIdleConnections()
			rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			_, err = c.ListDevices(rctx, client.ListDevicesRequest{PageNo: 1, PageSize: 1})
			if !tokenFailed(err) {
				found[i] = r.name
			}
		})
	}
	wg.Wait()
	for _, name := range found {
		if name != "" {
			return fmt.Sprintf("the project is not in the %s data centre but in %s: set TUYA_REGION=%s (--region %s)",
				here, name, name, name)
		}
	}
	return fmt.Sprintf("no data centre knows this Access ID (%s was asked first, then the others): %s", here, idWrong)
}
