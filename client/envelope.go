package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// envelope is the cloud's answer: {"success", "result", "code", "msg", "t", "tid"}.
type envelope struct {
	Success bool
	Result  json.RawMessage
	Code    int
	Msg     string
	Tid     string
}

// parseEnvelope decodes an answer body. It requires a JSON object with a boolean success and
// accepts a code sent as a number or a numeric string, as some gateways do.
func parseEnvelope(data []byte) (envelope, error) {
	var raw struct {
		Success *bool           `json:"success"`
		Result  json.RawMessage `json:"result"`
		Code    json.RawMessage `json:"code"`
		Msg     *string         `json:"msg"`
		Tid     *string         `json:"tid"`
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return envelope{}, errors.New("the answer is not a JSON object")
	}
	if err := json.Unmarshal(trimmed, &raw); err != nil {
		return envelope{}, fmt.Errorf("the answer is not a Tuya envelope: %w", err)
	}
	if raw.Success == nil {
		return envelope{}, errors.New("the answer has no boolean success field")
	}
	env := envelope{Success: *raw.Success, Result: raw.Result}
	if raw.Msg != nil {
		env.Msg = *raw.Msg
	}
	if raw.Tid != nil {
		env.Tid = *raw.Tid
	}
	code, err := parseCode(raw.Code)
	if err != nil {
		return envelope{}, err
	}
	env.Code = code
	return env, nil
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
