package tools

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"

	"github.com/tuya-mcp/tuya-mcp/client"
)

// env is what tools need at call time.
type env struct {
	c   *client.Client
	obs Observer
	// schema is the default app schema (TUYA_APP_SCHEMA); "" when none is configured.
	schema          string
	now             func() time.Time
	exposeLocalKeys bool
	// confirmDestructive asks the user before a destructive call (Options.ConfirmDestructive).
	confirmDestructive bool
	// specs caches device specifications for checking commands.
	specs *specCache
}

// tool is one MCP tool: its catalogue entry, its arguments and the call it makes.
type tool struct {
	name, title, toolset, alias, description string

	readOnly, destructive, idempotent bool
	// destructiveWhen says for which targets a tool that is not destructive is (its arguments
	// implement hazard), e.g. "for the safety categories".
	destructiveWhen string
	// hints give tool-specific advice for Tuya error codes; codeHints covers the rest.
	hints map[int]string
	// unknownOutcome tells a model what to do when a non-idempotent call may or may not have
	// taken effect.
	unknownOutcome string

	in, out reflect.Type
	// fields are the arguments of in.
	fields []field
	// err is a mistake in the tool's argument struct, reported when the catalogue is built.
	err error
	// decode checks the arguments and returns the argument struct (a pointer), or an *argError.
	decode func(e *env, args map[string]any) (any, error)
	// run calls Tuya with decoded arguments and returns the result.
	run func(ctx context.Context, e *env, args any) (any, error)
}

// resolver is implemented by argument structs with defaults that depend on the server's
// configuration or the clock, or with rules across fields. It runs once decoding succeeded.
type resolver interface {
	resolve(e *env) []string
}

// newTool completes t with argument decoding for A and the result type R around run.
func newTool[A, R any](t tool, run func(ctx context.Context, e *env, a *A) (R, error)) tool {
	t.in, t.out = reflect.TypeFor[A](), reflect.TypeFor[R]()
	fields, err := fieldsOf(t.in)
	t.fields, t.err = fields, err
	if _, ok := any(new(A)).(confirmer); t.destructive && !ok && err == nil {
		t.err = fmt.Errorf("tools: %s is destructive, but %s cannot say what it will do (confirmer)", t.name, t.in)
	}
	if _, ok := any(new(A)).(hazard); ok != (t.destructiveWhen != "") && err == nil {
		t.err = fmt.Errorf("tools: %s: destructiveWhen must be set exactly when %s is a hazard", t.name, t.in)
	}
	name := t.name
	t.decode = func(e *env, args map[string]any) (any, error) {
		a := new(A)
		problems := decodeArgs(fields, args, a)
		if r, ok := any(a).(resolver); ok && len(problems) == 0 {
			problems = r.resolve(e)
		}
		if len(problems) > 0 {
			return nil, &argError{tool: name, problems: problems}
		}
		return a, nil
	}
	t.run = func(ctx context.Context, e *env, a any) (any, error) {
		return run(ctx, e, a.(*A))
	}
	return t
}

// arguments returns the call's decoded arguments, and a note naming the keys that were
// ignored ("" when none). Absent arguments are an empty object; arguments sent as a string
// holding a JSON object, as some clients do, are that object.
func (t *tool) arguments(e *env, req mcp.CallToolRequest) (any, string, error) {
	args := req.Params.Arguments
	// Numbers are read from the request's own text, exactly: mcp-go's decoding into float64
	// turns 9007199254740993 into ...992 and 1e400 into an error.
	var exact any
	if len(req.Params.RawArguments) > 0 && decodeExact(string(req.Params.RawArguments), &exact) == nil {
		args = markNumbers(exact, req.Params.Meta)
	}
	if s, ok := args.(string); ok && strings.HasPrefix(strings.TrimSpace(s), "{") {
		var m map[string]any
		if err := decodeExact(s, &m); err != nil {
			return nil, "", &argError{tool: t.name, problems: []string{
				"arguments must be a JSON object: the string looks like one but is not (" + jsonTextError(err) + ")"}}
		}
		args = m
	}
	switch a := args.(type) {
	case nil:
		d, err := t.decode(e, map[string]any{})
		return d, "", err
	case map[string]any:
		d, err := t.decode(e, a)
		return d, ignoredNote(t.fields, a), err
	}
	got := jsonKind(args)
	var inner any
	if s, ok := args.(string); ok && decodeExact(s, &inner) == nil {
		got = "JSON text of " + jsonKind(inner)
	}
	return nil, "", &argError{tool: t.name, problems: []string{"arguments must be a JSON object (got " + got + ")"}}
}

// Outcomes of a tool call, as logged.
const (
	outcomeOK             = "ok"
	outcomeInvalidArgs    = "invalid_arguments"
	outcomeTuyaError      = "tuya_error"
	outcomeUnknown        = "outcome_unknown"
	outcomeTimeout        = "timeout"
	outcomeCanceled       = "canceled"
	outcomeNetworkFailure = "no_answer"
	outcomeFailure        = "error"
	outcomeRateBudget     = "rate_budget"
)

// handler runs t for one tools/call and logs one line. It returns a Go error (a JSON-RPC
// internal error) only for a result that cannot be encoded, which is a bug.
func (e *env) handler(t *tool, timeout time.Duration, log zerolog.Logger) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		start := time.Now()
		var outcome string
		e.obs.ToolCallStarted(t.name)
		defer func() { e.obs.ToolCallFinished(t.name, outcome, time.Since(start)) }()
		ctx, ci := client.WithCallInfo(ctx)
		out, outcome, err := e.serve(ctx, ci, t, req, timeout)
		// Errors carry no secrets: argument errors never echo free text such as passwords, and
		// the client keeps tokens and URLs out of its errors.
		log.Info().Str("tool", t.name).Dur("duration_ms", time.Since(start)).Str("outcome", outcome).
			Int("code", ci.Code()).Str("tid", ci.Tid()).Int("attempts", ci.Attempts()).Err(err).Msg("tool call")
		if out == nil {
			return nil, err
		}
		return out, nil
	}
}

// serve decodes the arguments, gets the user's confirmation when required, calls Tuya within
// timeout and renders the result with the notes ci collected, or an isError text a model can
// act on. err is what went wrong, for the log; with a nil result it is a bug.
func (e *env) serve(ctx context.Context, ci *client.CallInfo, t *tool, req mcp.CallToolRequest, timeout time.Duration) (*mcp.CallToolResult, string, error) {
	a, note, err := t.arguments(e, req)
	out, outcome, err := e.call(ctx, ci, t, req, a, err, timeout)
	if out != nil && note != "" {
		// The note goes to the text only: structuredContent is the result's data.
		out.Content = append(out.Content, mcp.TextContent{Type: mcp.ContentTypeText, Text: note})
	}
	return out, outcome, err
}

// call is serve once the arguments are decoded (or failed to decode with argErr).
func (e *env) call(ctx context.Context, ci *client.CallInfo, t *tool, req mcp.CallToolRequest, a any, argErr error, timeout time.Duration) (*mcp.CallToolResult, string, error) {
	if argErr != nil {
		outcome, text := t.failure(ctx, argErr, timeout)
		return mcp.NewToolResultError(text), outcome, argErr
	}
	if e.confirmDestructive && e.destructive(ctx, t, a, timeout) {
		if out, outcome := e.confirm(ctx, t, req, a.(confirmer), timeout); out != nil {
			return out, outcome, nil
		}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, err := t.run(ctx, e, a)
	if err != nil {
		outcome, text := t.failure(ctx, err, timeout)
		return mcp.NewToolResultError(text), outcome, err
	}
	out, err := e.render(res, append(ci.Notes(), resultNotes(res)...))
	if err != nil {
		return nil, outcomeFailure, fmt.Errorf("tools: %s: %w", t.name, err)
	}
	return out, outcomeOK, nil
}

// failure classifies err and renders it for a model.
func (t *tool) failure(ctx context.Context, err error, timeout time.Duration) (outcome, text string) {
	var inv *argError
	var ae *client.APIError
	var he *client.HTTPError
	var na *client.NoAnswerError
	switch {
	case errors.As(err, &inv):
		return outcomeInvalidArgs, inv.Error()
	case errors.Is(err, client.ErrRateBudget):
		return outcomeRateBudget, fmt.Sprintf("%s was not sent: the server's rate budget for the Tuya project (--rate-limit) had no "+
			"room before the call's time limit (%s); retry in a few seconds.", t.name, timeout)
	case errors.Is(err, client.ErrOutcomeUnknown):
		advice := t.unknownOutcome
		if advice == "" {
			advice = "check the current state"
		}
		switch {
		case errors.As(err, &ae):
			// An answer came: the cloud's words, and that such a failure can follow the work.
			return outcomeUnknown, fmt.Sprintf("%s The operation may or may not have been carried out (the cloud can report "+
				"this failure after the work ran), so it was not retried. Before trying again, %s.", t.tuyaError(ae), advice)
		case errors.As(err, &he):
			return outcomeUnknown, fmt.Sprintf("%s: the outcome is unknown: the request reached the endpoint, but its answer "+
				"was not one the client could read (%v), so it was not retried. Before trying again, %s.", t.name, he, advice)
		}
		limit := ""
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			limit = fmt.Sprintf(" (no answer within %s)", timeout)
		}
		return outcomeUnknown, fmt.Sprintf("%s: the outcome is unknown%s: the request may have reached Tuya but no answer came "+
			"back, so it was not retried. Before trying again, %s.", t.name, limit, advice)
	case errors.As(err, &ae):
		return outcomeTuyaError, t.tuyaError(ae)
	case errors.Is(ctx.Err(), context.DeadlineExceeded) && errors.As(err, &na) && na.TokenRequest:
		return outcomeTimeout, fmt.Sprintf("%s timed out after %s waiting for the Tuya cloud to answer the request for an access "+
			"token; retry later, and if it persists check the network and the endpoint.", t.name, timeout)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return outcomeTimeout, fmt.Sprintf("%s timed out after %s waiting for the Tuya cloud; retry later, or ask for less (a smaller page or window).", t.name, timeout)
	case errors.Is(err, context.Canceled):
		return outcomeCanceled, fmt.Sprintf("%s was cancelled before the Tuya cloud answered.", t.name)
	case errors.As(err, &he) && he.RateLimited():
		return outcomeFailure, fmt.Sprintf("%s was refused for a rate limit (%s %s: HTTP 429): %s.", t.name, he.Method, he.Path, httpAdvice(he))
	case errors.As(err, &he):
		return outcomeFailure, fmt.Sprintf("%s failed: the endpoint did not answer like the Tuya cloud (%s %s: HTTP %d %s: %s): %s.",
			t.name, he.Method, he.Path, he.StatusCode, http.StatusText(he.StatusCode), he.Reason, httpAdvice(he))
	case errors.As(err, &na):
		return outcomeNetworkFailure, fmt.Sprintf("%s could not get an answer from the Tuya cloud: %s.", t.name, noAnswerAdvice(na))
	}
	// What is left is an answer the client could not use (a token answer without a token, say),
	// said without the client's "client: GET /path: " prefix.
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "client: "); ok {
		if _, said, ok := strings.Cut(rest, ": "); ok {
			msg = said
		}
	}
	return outcomeFailure, fmt.Sprintf("%s failed: %s. Retry later; if it persists, check the endpoint.", t.name, msg)
}

// tuyaError renders a Tuya failure envelope: code, message, operation, advice and tid, e.g.
// "Tuya error 2010 (device not exist) on GET /v1.0/devices/{device_id}: check device_id;
// device_list finds devices. (tid 3f2a...)".
func (t *tool) tuyaError(ae *client.APIError) string {
	var b strings.Builder
	advice := t.adviceFor(ae)
	switch {
	case ae.ResultFalse:
		fmt.Fprintf(&b, "the cloud answered success but result false on %s %s: the operation was not done", ae.Method, ae.Path)
	case ae.NoCode:
		fmt.Fprintf(&b, "the cloud refused without an error code on %s %s: %s", ae.Method, ae.Path, cmp.Or(ae.Msg, "it gave no message either"))
	case ae.Msg == "":
		fmt.Fprintf(&b, "Tuya error %d on %s %s", ae.Code, ae.Method, ae.Path)
	default:
		fmt.Fprintf(&b, "Tuya error %d (%s) on %s %s", ae.Code, ae.Msg, ae.Method, ae.Path)
	}
	if ae.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", ae.HTTPStatus)
	}
	if advice != "" {
		b.WriteString(": ")
		b.WriteString(strings.TrimSuffix(advice, "."))
	}
	b.WriteString(".")
	if ae.Tid != "" {
		fmt.Fprintf(&b, " (tid %s)", ae.Tid)
	}
	return b.String()
}

// mcpTool is the tool as tools/list shows it.
func (t *tool) mcpTool(in, out json.RawMessage) mcp.Tool {
	return mcp.Tool{
		Name:            t.name,
		Title:           t.title,
		Description:     t.description,
		RawInputSchema:  in,
		RawOutputSchema: out,
		Annotations: mcp.ToolAnnotation{
			Title:           t.title,
			ReadOnlyHint:    mcp.ToBoolPtr(t.readOnly),
			DestructiveHint: mcp.ToBoolPtr(t.destructive),
			IdempotentHint:  mcp.ToBoolPtr(t.idempotent),
			OpenWorldHint:   mcp.ToBoolPtr(true),
		},
	}
}
