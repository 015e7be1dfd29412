package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
)

// envelope is the cloud's answer: {"success", "result", "code", "msg", "t", "tid"}.
type envelope struct {
	Success bool
	Code    int
	Msg     string
	Tid     string
}

// parseEnvelope decodes an answer body and, when it is a success, its result into out (a
// pointer), tolerantly (see decodeResult). It requires a JSON object with a boolean success and
// accepts a code sent as a number or a numeric string, as some gateways do. err is set when data
// is not such an envelope; notes say what of the result had to be left out. A success with no
// result, or a null one, leaves out at its zero value. A failure envelope's result is ignored:
// out is set to its zero value, so that a retry's result is not merged into it.
func parseEnvelope(data []byte, out any) (env envelope, notes []string, err error) {
	var raw struct {
		Success *bool           `json:"success"`
		Result  json.RawMessage `json:"result"`
		Code    json.RawMessage `json:"code"`
		Msg     *string         `json:"msg"`
		Tid     *string         `json:"tid"`
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return envelope{}, nil, errors.New("the answer is not a JSON object")
	}
	if uerr := json.Unmarshal(trimmed, &raw); uerr != nil {
		return envelope{}, nil, fmt.Errorf("the answer is not a Tuya envelope: %w", uerr)
	}
	if raw.Success == nil {
		return envelope{}, nil, errors.New("the answer has no boolean success field")
	}
	env.Success = *raw.Success
	if raw.Msg != nil {
		env.Msg = *raw.Msg
	}
	if raw.Tid != nil {
		env.Tid = *raw.Tid
	}
	if env.Code, err = parseCode(raw.Code); err != nil {
		return envelope{}, nil, err
	}
	if !env.Success {
		if v := reflect.ValueOf(out); v.Kind() == reflect.Pointer && !v.IsNil() {
			v.Elem().SetZero()
		}
		return env, nil, nil
	}
	return env, decodeResult(raw.Result, out), nil
}

// parseCode reads an absent or null code as 0, else a JSON integer or a string holding one.
func parseCode(raw json.RawMessage) (int, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var s string
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, fmt.Errorf("the answer's code is malformed: %w", err)
		}
	} else {
		s = string(raw)
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("the answer's code %.40q is not an integer", s)
	}
	return n, nil
}
