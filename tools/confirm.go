package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// With Options.ConfirmDestructive the server asks the person behind the client, through MCP
// elicitation, before a destructive call reaches Tuya: a model's "yes" is not enough for what
// cannot be undone. mcp-go offers two ways to ask. Clients on protocol 2026-07-28 or later get
// an input_required result and retry the call with the answer (multi round-trip requests); this
// works over stateless HTTP too. Earlier clients get a server-initiated elicitation/create
// request, which needs a session that can carry it (stdio, in-process, stateful HTTP).

// confirmer is implemented by the argument structs of destructive tools.
type confirmer interface {
	// target names what the call acts on. It binds an answer to the call it was asked for: a
	// retry whose request state names another target is refused.
	target() string
	// question says exactly what the call will do. It may read from Tuya to name the device or
	// user, since people know their devices by name.
	question(ctx context.Context, e *env) string
}

// hazard is implemented by the argument structs of tools that are destructive for some targets
// only: device_command_send to a device of a safety category.
type hazard interface {
	confirmer
	// hazardous reports whether this call is destructive. It may read from Tuya; when it
	// cannot tell, it says yes.
	hazardous(ctx context.Context, e *env) bool
}

// destructive reports whether the call of t with arguments a must be confirmed. timeout bounds
// the Tuya read a hazard may make.
func (e *env) destructive(ctx context.Context, t *tool, a any, timeout time.Duration) bool {
	if t.destructive {
		return true
	}
	h, ok := a.(hazard)
	if !ok {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return h.hazardous(ctx, e)
}

// confirmField is the one property of the requested form, and the key of the input request in
// a multi round-trip exchange.
const confirmField = "confirm"

// confirmTimeout bounds the wait for an answer. It is much longer than a Tuya call: a person
// reads the question first.
const confirmTimeout = 10 * time.Minute

// Outcomes of a call that was not run for want of a confirmation, as logged.
const (
	outcomeConfirmAsked = "confirmation_requested"
	outcomeDeclined     = "declined"
	outcomeUnconfirmed  = "confirmation_unavailable"
)

// confirm asks the user whether the destructive call t may run. It returns nil when the user
// agreed, or else the result to answer with: a refusal, or the input request a modern client
// answers by retrying the call. timeout bounds the Tuya read that names the target.
func (e *env) confirm(ctx context.Context, t *tool, req mcp.CallToolRequest, c confirmer, timeout time.Duration) (*mcp.CallToolResult, string) {
	state := t.name + " " + c.target()
	modern := server.IsModernRequest(ctx)
	// Only a modern client can have been sent an input request; from any other, input
	// responses are not an answer to this server.
	if modern {
		if answer := server.ElicitationResponse(req.Params.InputResponses, confirmField); answer != nil {
			if req.Params.RequestState != state {
				return notRun(t, "the confirmation sent was asked for another call; call it again to be asked anew"), outcomeDeclined
			}
			return judge(t, answer)
		}
	}
	srv := server.ServerFromContext(ctx)
	if srv == nil || !canElicit(ctx) {
		return cannotAsk(t), outcomeUnconfirmed
	}
	qctx, cancel := context.WithTimeout(ctx, timeout)
	params := mcp.ElicitationParams{Message: c.question(qctx, e), RequestedSchema: confirmSchema(t)}
	cancel()
	if modern {
		return server.NewInputRequestBuilder(state).Elicit(confirmField, params).ToolResult(), outcomeConfirmAsked
	}
	ctx, cancel = context.WithTimeout(ctx, confirmTimeout)
	defer cancel()
	answer, err := srv.RequestElicitation(ctx, mcp.ElicitationRequest{
		Request: mcp.Request{Method: string(mcp.MethodElicitationCreate)},
		Params:  params,
	})
	switch {
	case errors.Is(err, server.ErrElicitationNotSupported), errors.Is(err, server.ErrNoActiveSession):
		return cannotAsk(t), outcomeUnconfirmed
	case err != nil:
		return notRun(t, fmt.Sprintf("asking the user for confirmation failed (%v)", err)), outcomeUnconfirmed
	case answer == nil:
		return notRun(t, "the client answered the confirmation with nothing"), outcomeUnconfirmed
	}
	return judge(t, answer)
}

// canElicit reports whether the client declared that it can show a form to its user.
func canElicit(ctx context.Context) bool {
	var caps mcp.ClientCapabilities
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		if info.ClientCapabilities == nil {
			return false
		}
		caps = *info.ClientCapabilities
	} else if s, ok := server.ClientSessionFromContext(ctx).(server.SessionWithClientInfo); ok {
		// A stateless HTTP request has a session of its own that never saw initialize, so
		// it has no capabilities: rightly, as its client could not answer a request anyway.
		caps = s.GetClientCapabilities()
	}
	el := caps.Elicitation
	// An empty elicitation capability means forms (2025-06-18); later clients list modes.
	return el != nil && (el.Form != nil || el.URL == nil)
}

// judge turns the user's answer into nil (run) or a refusal.
func judge(t *tool, answer *mcp.ElicitationResult) (*mcp.CallToolResult, string) {
	if answer.Action == mcp.ElicitationResponseActionAccept && confirmed(answer.Content) {
		return nil, ""
	}
	return notRun(t, "the user declined"), outcomeDeclined
}

// confirmed reports whether a form's content holds confirm: true. Content arrives as decoded
// JSON from a remote client, or as any Go value from an in-process one.
func confirmed(content any) bool {
	b, err := json.Marshal(content)
	if err != nil {
		return false
	}
	var form struct {
		Confirm bool `json:"confirm"`
	}
	return json.Unmarshal(b, &form) == nil && form.Confirm
}

func notRun(t *tool, why string) *mcp.CallToolResult {
	return mcp.NewToolResultError(fmt.Sprintf("%s was not run: %s.", t.name, why))
}

func cannotAsk(t *tool) *mcp.CallToolResult {
	return notRun(t, "this server asks the user to confirm destructive tools (--confirm-destructive), and this "+
		"client cannot ask (it does not support MCP elicitation forms, or its connection cannot carry them). "+
		"Use a client that supports elicitation, or run the server without --confirm-destructive")
}

// confirmSchema is the form asked for: one boolean, false unless the user sets it.
func confirmSchema(t *tool) map[string]any {
	return map[string]any{
		"type": "object",
		"properties": map[string]any{
			confirmField: map[string]any{
				"type":        "boolean",
				"title":       t.title,
				"description": "Check to run " + t.name + ". It cannot be undone.",
				"default":     false,
			},
		},
		"required": []string{confirmField},
	}
}
