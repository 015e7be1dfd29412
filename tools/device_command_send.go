package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tuya-mcp/tuya-mcp/client"
)

type deviceCommandSendArgs struct {
	deviceRef
	Commands commandList `json:"commands" jsonschema:"required" jsonschema_description:"1-20 commands."`
}

type commandResult struct {
	OK   bool          `json:"ok" jsonschema:"required"`
	Sent []sentCommand `json:"sent" jsonschema:"required"`
	Note string        `json:"note,omitempty"`
}

// sentCommand is a command as sent.
type sentCommand struct {
	Code  string `json:"code"`
	Value any    `json:"value"`
}

// JSONSchemaRaw leaves value out: any JSON value fits, and a typeless property would need a
// description that costs context in tools/list.
func (sentCommand) JSONSchemaRaw() json.RawMessage {
	return json.RawMessage(`{"type":"object","properties":{"code":{"type":"string"}}}`)
}

// sentNote reminds that the cloud's true means accepted, not done.
const sentNote = "Tuya accepted the commands; the device applies them and reports its new values, which device_status_get shows."

func deviceCommandSend() tool {
	return newTool(tool{
		name:    "device_command_send",
		title:   "Send commands",
		toolset: toolsetDeviceControl,
		description: "Send commands to a device, each checked first against its specification: a function code, a " +
			"value of its type in range (raw units). One bad command refuses all. Not idempotent.",
		unknownOutcome:  "call device_status_get for this device_id to see whether the commands took effect",
		destructiveWhen: "for the safety categories",
	}, func(ctx context.Context, e *env, a *deviceCommandSendArgs) (commandResult, error) {
		cmds, note, err := e.checkCommands(ctx, string(a.DeviceID), a.Commands)
		if err != nil {
			return commandResult{}, err
		}
		err = e.c.SendCommands(ctx, string(a.DeviceID), cmds)
		if client.IsCode(err, client.CodeCommandNotSupport) {
			// The specification used for the check may be out of date.
			e.specs.drop(string(a.DeviceID))
		}
		if err != nil {
			return commandResult{}, err
		}
		sent := convertAll(cmds, func(c client.Command) sentCommand { return sentCommand(c) })
		return commandResult{OK: true, Sent: sent, Note: strings.TrimSpace(note + " " + sentNote)}, nil
	})
}

// checkCommands checks every command against the device's specification and returns them with
// converted values, or an *argError listing every problem. A device the cloud has no
// specification for (2009: virtual and IR devices) gets its commands unchecked, with a note.
func (e *env) checkCommands(ctx context.Context, deviceID string, in commandList) ([]client.Command, string, error) {
	ds, err := e.deviceSpec(ctx, deviceID)
	if client.IsCode(err, client.CodeDeviceNotSupported) {
		return in, "The cloud has no specification for this device (2009), so the commands were sent unchecked.", nil
	}
	if err != nil {
		return nil, "", err
	}
	out := make([]client.Command, len(in))
	var problems []string
	for i, c := range in {
		v, problem := ds.check(c.Code, c.Value)
		if problem != "" {
			problems = append(problems, problem)
		}
		out[i] = client.Command{Code: c.Code, Value: v}
	}
	if len(problems) > 0 {
		return nil, "", &argError{tool: "device_command_send", problems: append(problems,
			"nothing was sent; device_specification_get lists the device's functions and their values")}
	}
	return out, "", nil
}

// target binds an answer to the device and the exact commands it was asked for.
func (a *deviceCommandSendArgs) target() string {
	b, _ := json.Marshal(a.Commands) // decoded from JSON, so it encodes
	return string(a.DeviceID) + " " + string(b)
}

// hazardous reports whether the device is of a safety category. When its category cannot be
// read it says yes (better one question too many), unless the device does not exist. Commands
// its specification refuses are no hazard either: the call fails before anything is sent, so
// the user is not asked about it.
func (a *deviceCommandSendArgs) hazardous(ctx context.Context, e *env) bool {
	cat, err := e.category(ctx, string(a.DeviceID))
	if err != nil {
		return !client.IsCode(err, client.CodeDeviceNotExist)
	}
	if _, safety := safetyCategories()[cat]; !safety {
		return false
	}
	_, _, err = e.checkCommands(ctx, string(a.DeviceID), a.Commands)
	var inv *argError
	return !errors.As(err, &inv)
}

// category returns a device's category from its specification, or else from its details.
func (e *env) category(ctx context.Context, deviceID string) (string, error) {
	if ds, err := e.deviceSpec(ctx, deviceID); err == nil {
		return ds.category, nil
	}
	d, err := e.c.GetDevice(ctx, deviceID)
	if err != nil {
		return "", err
	}
	return d.Category, nil
}

func (a *deviceCommandSendArgs) question(ctx context.Context, e *env) string {
	cat, err := e.category(ctx, string(a.DeviceID))
	what := safetyCategories()[cat]
	if err != nil {
		cat, what = "unknown", "device whose category could not be read"
	}
	cmds := make([]string, len(a.Commands))
	for i, c := range a.Commands {
		cmds[i] = fmt.Sprintf("%s = %s", c.Code, jsonCompact(c.Value))
	}
	return fmt.Sprintf("Send to %s %s, of category %s, which controls access or safety: %s?", what,
		e.deviceLabel(ctx, a.DeviceID), cat, strings.Join(cmds, ", "))
}

// commandList is device_command_send's commands: 1 to 20 {code, value} objects, given as an
// array, as JSON text of one (as some clients send arrays), or as a single object.
type commandList []client.Command

const maxCommands = 20

func (commandList) JSONSchemaRaw() json.RawMessage {
	return json.RawMessage(`{"type":"array","minItems":1,"maxItems":20,"items":{"type":"object","properties":{` +
		`"code":{"type":"string","description":"Function code."},` +
		`"value":{"anyOf":[{"type":"boolean"},{"type":"number"},{"type":"string"},{"type":"object"}],"description":"Raw units for Integer."}},` +
		`"required":["code","value"]}}`)
}

func (c *commandList) parseArg(raw any) error {
	if s, ok := raw.(string); ok {
		var v any
		if decodeExact(s, &v) != nil {
			return fmt.Errorf("must be an array of {code, value} objects (got a string that is not JSON)")
		}
		raw = v
	}
	var items []any
	switch v := raw.(type) {
	case []any:
		items = v
	case map[string]any:
		items = []any{v}
	default:
		return fmt.Errorf("must be an array of {code, value} objects (got %s)", jsonKind(raw))
	}
	if len(items) < 1 || len(items) > maxCommands {
		return fmt.Errorf("must have 1 to %d items (got %d)", maxCommands, len(items))
	}
	out := make(commandList, 0, len(items))
	var problems []string
	// items holding each code: the device would get two values for one data point, in no
	// order Tuya documents, so a code may come once per call.
	where := map[string][]string{}
	for i, it := range items {
		cmd, err := parseCommand(it)
		if err != nil {
			problems = append(problems, fmt.Sprintf("item %d %v", i+1, err))
			continue
		}
		where[cmd.Code] = append(where[cmd.Code], strconv.Itoa(i+1))
		out = append(out, cmd)
	}
	for _, c := range out {
		if n := where[c.Code]; len(n) > 1 {
			problems = append(problems, fmt.Sprintf("items %s all send %s: send each code once", strings.Join(n, ", "), c.Code))
			delete(where, c.Code)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", listSome(problems))
	}
	*c = out
	return nil
}

func parseCommand(it any) (client.Command, error) {
	m, ok := it.(map[string]any)
	if !ok {
		return client.Command{}, fmt.Errorf("must be an object {code, value} (got %s)", jsonKind(it))
	}
	// Other keys never arrive: argument decoding ignores or refuses them, by the item schema.
	var code id
	if m["code"] == nil {
		return client.Command{}, fmt.Errorf("code: required")
	}
	if err := code.parseArg(m["code"]); err != nil {
		return client.Command{}, fmt.Errorf("code: %w", err)
	}
	v, present := m["value"]
	if !present || v == nil {
		return client.Command{}, fmt.Errorf("value: required")
	}
	return client.Command{Code: string(code), Value: v}, nil
}
