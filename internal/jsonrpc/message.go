// Package jsonrpc is the JSON-RPC layer tuya-mcp puts in front of mcp-go on both transports.
// It reads every message before mcp-go does, to handle what mcp-go v1.2.1 gets wrong for
// clients in the wild: it refuses text that is not valid Unicode (encoding/json would replace
// it silently), a null request id, and anything that is no JSON-RPC message, with error
// responses that leave "id" out when there is none to echo; it answers batches under protocol
// version 2025-03-26, whose base protocol has them, and refuses them with -32600 under the
// others; it sends no response to a request the client cancelled, deciding itself which
// request a cancellation names; it echoes ids as sent (mcp-go echoes the float64 it decoded);
// it turns numbers beyond a float64, which fail mcp-go's decoding of the whole message, into
// strings holding their text; and it answers no response from the client.
package jsonrpc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// JSON-RPC error codes the front answers with.
const (
	CodeParseError     = -32700
	CodeInvalidRequest = -32600
	CodeInvalidParams  = -32602
)

// Check reads a request's method and params before mcp-go does: a message it returns refuses
// the request with -32602 (Invalid params) and that message; "" passes the request on.
type Check func(method string, params json.RawMessage) string

// apply refuses the requests among msgs that check refuses (a nil check refuses none).
func (check Check) apply(msgs []Message) {
	for i := range msgs {
		if m := &msgs[i]; check != nil && m.Err == nil && m.request() {
			if msg := check(m.Method, m.Params); msg != "" {
				m.Err = &Error{ID: m.ID, Code: CodeInvalidParams, Message: msg}
			}
		}
	}
}

// BatchVersion is the one MCP protocol version whose base protocol has JSON-RPC batches:
// 2025-03-26 added them, 2025-06-18 removed them.
const BatchVersion = "2025-03-26"

// Methods the front reads.
const (
	methodInitialize = "initialize"
	methodCancelled  = "notifications/cancelled"
)

// Message is one JSON-RPC message as far as the front reads it.
type Message struct {
	// Raw is the message's JSON text.
	Raw json.RawMessage
	// ID is the request id as sent, or nil when there is none (a notification).
	ID     json.RawMessage
	Method string
	Params json.RawMessage
	// Err is set on a batch item the front refuses; its answer goes into the batch's.
	Err *Error
}

// request reports whether m expects a response.
func (m *Message) request() bool { return m.Method != "" && m.ID != nil }

// Error is a JSON-RPC error response the front answers itself.
type Error struct {
	// ID is the id of the request refused, or nil when there is none to echo.
	ID      json.RawMessage
	Code    int
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("JSON-RPC error %d: %s", e.Code, e.Message) }

// Encode renders e as a JSON-RPC error response. Without an id to echo, "id" is left out, as
// MCP's schema allows: the TypeScript SDK rejects a message with "id": null.
func (e *Error) Encode() []byte {
	type details struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	// Marshalling these types cannot fail: ID was checked to be a string or a number.
	b, _ := marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id,omitempty"`
		Error   details         `json:"error"`
	}{"2.0", e.ID, details{e.Code, e.Message}})
	return b
}

// marshal is json.Marshal without HTML escaping, which would rewrite the text of an id ("&"
// into "\u0026") that the client matches byte for byte.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// logRefusal logs what the front refused. Messages say what was wrong and where, never the
// text sent, which may hold a password.
func logRefusal(log *slog.Logger, e *Error) {
	orDiscard(log).Info("refused a JSON-RPC message", "code", e.Code, "error", e.Message)
}

// orDiscard is log, or a logger that drops everything when log is nil.
func orDiscard(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}

func parseError(id json.RawMessage, format string, a ...any) *Error {
	return &Error{ID: id, Code: CodeParseError, Message: "Parse error: " + fmt.Sprintf(format, a...)}
}

func invalidRequest(id json.RawMessage, format string, a ...any) *Error {
	return &Error{ID: id, Code: CodeInvalidRequest, Message: "Invalid Request: " + fmt.Sprintf(format, a...)}
}

// Parse reads one transport message: a line on stdio, a body on HTTP. It returns the message,
// or the items of a batch (batch is true, and items the front refuses carry Err), or the error
// that answers the whole message.
func Parse(data []byte) (msgs []Message, batch bool, err *Error) {
	data = bytes.Trim(data, " \t\r\n")
	if len(data) == 0 {
		return nil, false, parseError(nil, "empty message")
	}
	if bad := NotUTF8(data); bad != "" {
		return nil, false, parseError(readableID(data), "the message is %s", bad)
	}
	if !json.Valid(data) {
		var v any
		return nil, false, parseError(nil, "%s", describeSyntax(json.Unmarshal(data, &v)))
	}
	if bad := LoneSurrogate(data); bad != "" {
		return nil, false, parseError(readableID(data), "%s", bad)
	}
	switch data[0] {
	case '{':
		m := parseOne(data)
		if m.Err != nil {
			return nil, false, m.Err
		}
		return []Message{m}, false, nil
	case '[':
		var items []json.RawMessage
		// The text is valid JSON, so this cannot fail.
		_ = json.Unmarshal(data, &items)
		if len(items) == 0 {
			return nil, true, invalidRequest(nil, "empty batch")
		}
		msgs = make([]Message, len(items))
		for i, it := range items {
			msgs[i] = parseOne(it)
			if m := &msgs[i]; m.Err == nil && m.Method == methodInitialize {
				// The 2025-03-26 base protocol: "The initialize request MUST NOT be part of a
				// JSON-RPC batch".
				m.Err = invalidRequest(m.ID, "initialize must be sent alone, not in a batch")
			}
		}
		return msgs, true, nil
	}
	return nil, false, invalidRequest(nil, "a message is a JSON object, or an array of them (got %s)", kind(data))
}

// readableID returns the id of a message the front refuses as unparsable when it can still be
// read, so that the client can match the error to its request, or nil.
func readableID(data []byte) json.RawMessage {
	var env struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(data, &env) != nil || env.ID == nil || checkID(env.ID) != nil ||
		!utf8.Valid(env.ID) || loneSurrogate(env.ID) >= 0 {
		return nil
	}
	return env.ID
}

// parseOne reads one message object; Err says why the front refuses it.
func parseOne(raw json.RawMessage) Message {
	m := Message{Raw: raw}
	if raw[0] != '{' {
		m.Err = invalidRequest(nil, "a batch item must be a JSON object (got %s)", kind(raw))
		return m
	}
	var env struct {
		ID     json.RawMessage `json:"id"`
		Method json.RawMessage `json:"method"`
		Params json.RawMessage `json:"params"`
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	// raw is a valid JSON object, and every field takes any JSON value.
	_ = json.Unmarshal(raw, &env)
	if env.Method == nil && env.Error != nil {
		// An error response from the client, answered by nothing whatever its id: JSON-RPC
		// sends one with "id": null, or none, when it could not read the request's.
		if checkID(env.ID) == nil && !bytes.Equal(env.ID, []byte("null")) {
			m.ID = env.ID
		}
		return m
	}
	if env.ID != nil {
		if err := checkID(env.ID); err != nil {
			m.Err = invalidRequest(nil, "%v", err)
			return m
		}
		m.ID = env.ID
	}
	if env.Method != nil {
		if json.Unmarshal(env.Method, &m.Method) != nil || m.Method == "" {
			m.Err = invalidRequest(m.ID, "method must be a non-empty string (got %s)", kind(env.Method))
			return m
		}
	}
	if m.Method == "" && (m.ID == nil || env.Result == nil && env.Error == nil) {
		m.Err = invalidRequest(m.ID, "a message needs a method (a request or notification), or an id and a result or error (a response)")
		return m
	}
	m.Params = env.Params
	// mcp-go decodes every message into Go values, and a number beyond float64 fails the whole
	// message with Go's words; as a string holding the same text it reaches the tool, whose
	// argument checks name it, knowing from params._meta that it was a number. (The id,
	// checked above, is never such a number.)
	if quoted := quoteHugeNumbers(raw); len(quoted) != len(raw) {
		m.Raw = markQuoted(quoted, raw)
	}
	return m
}

// QuotedNumbersKey is the key of params._meta under which the front lists, as JSON pointers
// (RFC 6901) into params.arguments, the numbers beyond a float64 it turned into strings. The
// front sets it on every tools/call it changed, replacing what the client sent there; a
// client's own list can only make strings holding number text be read as numbers.
const QuotedNumbersKey = "io.github.tuya-mcp/quoted-numbers"

// markQuoted returns quoted, the message raw with its huge numbers turned into strings, with
// the pointers of those inside params.arguments listed in params._meta under
// QuotedNumbersKey; or quoted itself when there are none.
func markQuoted(quoted, raw []byte) []byte {
	var orig struct {
		Params struct {
			Arguments json.RawMessage `json:"arguments"`
		} `json:"params"`
	}
	if json.Unmarshal(raw, &orig) != nil || orig.Params.Arguments == nil {
		return quoted
	}
	dec := json.NewDecoder(bytes.NewReader(orig.Params.Arguments))
	dec.UseNumber()
	var args any
	if dec.Decode(&args) != nil {
		return quoted
	}
	pointers := hugePointers(args, "", nil)
	if len(pointers) == 0 {
		return quoted
	}
	slices.Sort(pointers)
	// quoted is a valid JSON object whose params holds an object with arguments.
	var msg, params, meta map[string]json.RawMessage
	if json.Unmarshal(quoted, &msg) != nil || json.Unmarshal(msg["params"], &params) != nil {
		return quoted
	}
	if json.Unmarshal(params["_meta"], &meta) != nil || meta == nil {
		meta = map[string]json.RawMessage{}
	}
	meta[QuotedNumbersKey], _ = marshal(pointers)
	params["_meta"], _ = marshal(meta)
	msg["params"], _ = marshal(params)
	out, err := marshal(msg)
	if err != nil {
		return quoted
	}
	return out
}

// hugePointers appends to ps the JSON pointers, below at, of the numbers beyond a float64 in
// v (decoded with json.Number).
func hugePointers(v any, at string, ps []string) []string {
	switch x := v.(type) {
	case json.Number:
		if hugeNumber([]byte(x)) {
			ps = append(ps, at)
		}
	case []any:
		for i, it := range x {
			ps = hugePointers(it, at+"/"+strconv.Itoa(i), ps)
		}
	case map[string]any:
		for k, it := range x {
			ps = hugePointers(it, at+"/"+strings.NewReplacer("~", "~0", "/", "~1").Replace(k), ps)
		}
	}
	return ps
}

// checkID accepts the ids MCP allows: a string or a number, never null, and no number beyond
// the range of a float64, which is what most clients decode JSON numbers into.
func checkID(id json.RawMessage) error {
	switch {
	case id == nil || id[0] == '"':
		return nil
	case id[0] == '-' || id[0] >= '0' && id[0] <= '9':
		if hugeNumber(id) {
			return fmt.Errorf("id %.40s is beyond the range of a JSON number as clients decode it (a 64-bit float)", id)
		}
		return nil
	}
	return fmt.Errorf("id must be a string or a number (got %s)", kind(id))
}

// hugeNumber reports whether the JSON number text n overflows a float64.
func hugeNumber(n []byte) bool {
	f, err := strconv.ParseFloat(string(n), 64)
	return err != nil && math.IsInf(f, 0)
}

// idKey is a canonical form of an id, so that 7 and 7.0, or "a" and "\u0061", match, while 12
// and "12" do not, nor two integers a float64 cannot tell apart.
func idKey(id json.RawMessage) string {
	if id[0] == '"' {
		var s string
		_ = json.Unmarshal(id, &s)
		return "s" + s
	}
	return "n" + decimalKey(string(id))
}

// decimalKey is the exact value of the JSON number text n as sign, digits without leading or
// trailing zeros, and exponent.
func decimalKey(n string) string {
	sign := ""
	if n[0] == '-' {
		sign, n = "-", n[1:]
	}
	mant, expText, _ := strings.Cut(strings.ToLower(n), "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	if digits == "" {
		return "0"
	}
	exp := 0
	if expText != "" {
		e, err := strconv.Atoi(expText)
		if err != nil {
			// An exponent beyond int: no float64 near it, so the text is as good a key.
			return sign + n
		}
		exp = e
	}
	exp -= len(frac)
	trimmed := strings.TrimRight(digits, "0")
	exp += len(digits) - len(trimmed)
	return sign + trimmed + "e" + strconv.Itoa(exp)
}

// quoteHugeNumbers returns data (valid JSON) with every number beyond the range of a float64
// turned into a string holding its text, or data itself when it has none.
func quoteHugeNumbers(data []byte) []byte {
	var out []byte
	last := 0
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '-' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(data) && strings.IndexByte("0123456789.eE+-", data[j]) >= 0 {
				j++
			}
			if hugeNumber(data[i:j]) {
				out = append(out, data[last:i]...)
				out = append(append(append(out, '"'), data[i:j]...), '"')
				last = j
			}
			i = j - 1
		}
	}
	if out == nil {
		return data
	}
	return append(out, data[last:]...)
}

// replaceID returns msg (a valid JSON object) with the value of its top-level "id" replaced by
// id, keeping the rest of the text as it is, or msg itself when it has no id.
func replaceID(msg []byte, id []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(msg))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return msg
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return msg
		}
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return msg
		}
		if key == "id" {
			end := int(dec.InputOffset())
			start := end - len(v)
			out := make([]byte, 0, len(msg)-len(v)+len(id))
			return append(append(append(out, msg[:start]...), id...), msg[end:]...)
		}
	}
	return msg
}

// kind names the JSON type of a value's text.
func kind(v json.RawMessage) string {
	switch v[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// NotUTF8 describes the first byte of data that is not UTF-8 ("not valid UTF-8 (byte 0xFF at
// offset 5)"), or returns "".
func NotUTF8(data []byte) string {
	if utf8.Valid(data) {
		return ""
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return fmt.Sprintf("not valid UTF-8 (byte 0x%02X at offset %d)", data[i], i)
		}
		i += n
	}
	return ""
}

// LoneSurrogate describes the first \u escape in a string of data (valid JSON) that is half of
// a surrogate pair without its other half, or returns "".
func LoneSurrogate(data []byte) string {
	off := loneSurrogate(data)
	if off < 0 {
		return ""
	}
	return fmt.Sprintf("the escape %s at offset %d is half of a UTF-16 surrogate pair, not a character", data[off:off+6], off)
}

// loneSurrogate returns the offset of the first \u escape in a string of data (valid JSON)
// that is half of a surrogate pair without its other half, or -1. encoding/json replaces
// such an escape with U+FFFD without a word.
func loneSurrogate(data []byte) int {
	inString := false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case !inString:
			inString = c == '"'
		case c == '"':
			inString = false
		case c == '\\':
			i++
			if data[i] != 'u' {
				continue
			}
			r := hex4(data[i+1 : i+5])
			if !utf16.IsSurrogate(r) {
				i += 4
				continue
			}
			// A high surrogate followed by an escaped low one is one character.
			if r < 0xdc00 && i+10 < len(data) && data[i+5] == '\\' && data[i+6] == 'u' {
				if lo := hex4(data[i+7 : i+11]); lo >= 0xdc00 && lo <= 0xdfff {
					i += 10
					continue
				}
			}
			return i - 1
		}
	}
	return -1
}

// hex4 decodes the four hex digits of a \u escape, which valid JSON guarantees.
func hex4(b []byte) rune {
	n, _ := strconv.ParseUint(string(b), 16, 32)
	return rune(n)
}

// describeSyntax renders a JSON syntax error with where it is.
func describeSyntax(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("%s (at offset %d)", syn.Error(), syn.Offset)
	}
	return err.Error()
}
