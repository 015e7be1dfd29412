package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode"
)

// envelope is the cloud's answer: {"success", "result", "code", "msg", "t", "tid"}.
type envelope struct {
	Success bool
	Code    int
	// HasCode is set when the answer carried an integer code; a failure without one is told
	// apart from a code 0, which the cloud does not use.
	HasCode bool
	Msg     string
	Tid     string
}

// parseEnvelope decodes an answer body and, when it is a success, its result into out (a
// pointer), tolerantly (see decodeResult). It requires a JSON object with a success field and
// reads its metadata liberally, as gateways and SDKs send it:
//   - success: true/false, "true"/"false" (any case, spaces around), 1/0 or "1"/"0";
//   - code: an integer, a number with no fraction (2010.0) or a string holding one (" 2010 ");
//     "errorCode" or "error_code" stands for an absent code. Another value is kept as text in Msg;
//   - msg and tid: any value; a string as is, a number or boolean as written, an object or list
//     as its JSON text. The first of msg, errorMsg, error_msg and message that is not empty is
//     the message.
//
// err is set, in words, when data is not such an envelope; notes say what of the result had to
// be left out. A success with no result, or a null one, leaves out at its zero value. A failure
// envelope's result is ignored: out is set to its zero value, so that a retry's result is not
// merged into it.
func parseEnvelope(data []byte, out any) (env envelope, notes []string, err error) {
	fields, err := envelopeFields(data)
	if err != nil {
		return envelope{}, nil, err
	}
	success, ok := fields["success"]
	if !ok {
		return envelope{}, nil, errors.New("the answer has no success field")
	}
	if env.Success, ok = parseSuccess(success); !ok {
		return envelope{}, nil, fmt.Errorf("the answer's success field %s is not true or false", clip(success))
	}
	for _, name := range []string{"msg", "errorMsg", "error_msg", "message"} {
		raw := fields[name]
		if env.Msg = visible(text(raw)); env.Msg != "" {
			if raw[0] == '"' && replaced(raw) {
				env.Msg += " (a character of the message that is not valid Unicode was replaced by U+FFFD)"
			}
			break
		}
	}
	env.Tid = visible(text(fields["tid"]))
	code := first(fields, "code", "errorCode", "error_code")
	env.Code, env.HasCode = parseCode(code)
	if !env.HasCode && !env.Success && len(code) > 0 && string(code) != "null" {
		// Nothing the cloud said is lost: a code that is not an integer goes with the message.
		env.Msg = strings.TrimSpace(env.Msg + " (code " + text(code) + ")")
	}
	if !env.Success {
		if v := reflect.ValueOf(out); v.Kind() == reflect.Pointer && !v.IsNil() {
			v.Elem().SetZero()
		}
		return env, nil, nil
	}
	return env, decodeResult(fields["result"], out), nil
}

// envelopeFields splits an answer body into its top-level members, or says in words why it is
// not a JSON object.
func envelopeFields(data []byte) (map[string]json.RawMessage, error) {
	// A byte order mark is not part of JSON, but some servers write one.
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(data), []byte("\xef\xbb\xbf")))
	if len(trimmed) == 0 {
		return nil, errors.New("the answer is empty")
	}
	if trimmed[0] != '{' {
		return nil, errors.New("the answer is not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	var fields map[string]json.RawMessage
	if err := dec.Decode(&fields); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, errors.New("the answer ends before its JSON object does (it was cut short)")
		case errors.As(err, &se) && strings.Contains(se.Error(), "depth"):
			return nil, errors.New("the answer is nested more than 10000 levels deep")
		case errors.As(err, &se):
			return nil, fmt.Errorf("the answer is not valid JSON (at byte %d)", se.Offset)
		}
		return nil, errors.New("the answer is not valid JSON")
	}
	if rest := len(trimmed) - int(dec.InputOffset()); rest > 0 {
		return nil, fmt.Errorf("the answer has %d more bytes after its JSON object", rest)
	}
	return fields, nil
}

// first returns the first of the named members that was sent.
func first(fields map[string]json.RawMessage, names ...string) json.RawMessage {
	for _, n := range names {
		if v, ok := fields[n]; ok {
			return v
		}
	}
	return nil
}

// parseSuccess reads a success flag: a JSON boolean, 1 or 0, or a string holding one of them.
func parseSuccess(raw json.RawMessage) (success, ok bool) {
	s, _, isScalar := scalar(raw)
	if !isScalar {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// parseCode reads a code: a JSON integer, a number without fraction, or a string holding one.
// ok is false for an absent, null or other code.
func parseCode(raw json.RawMessage) (code int, ok bool) {
	if len(raw) == 0 {
		return 0, false
	}
	s, _, isScalar := scalar(raw)
	if !isScalar {
		return 0, false
	}
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		return 0, false
	}
	return int(f), true
}

// text returns a metadata value as text: a string as is, null or absent as "", anything else
// as its JSON.
func text(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	if s, quoted, ok := scalar(raw); ok && quoted {
		return s
	}
	if string(raw) == "null" {
		return ""
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		b.Reset()
		b.Write(raw)
	}
	// An object or list is kept as its JSON text, which may hold bytes that are not UTF-8:
	// replaced as decoding a string would.
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}

// visible returns s with line breaks and tabs as spaces and every other control or
// text-direction character as a \u escape, so that a message cannot hide text, move a
// terminal's cursor or end a line of a log.
func visible(s string) string {
	if !strings.ContainsFunc(s, hidden) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case hidden(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hidden reports whether r is a control, format or text-direction character.
func hidden(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// clip returns raw as text short enough for a message.
func clip(raw json.RawMessage) string {
	s := string(raw)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}
