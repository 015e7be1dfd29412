package jsonrpc

import (
	"encoding/json"
	"strconv"
	"sync"
)

// call is a request in flight behind the front.
type call struct {
	// id is the request's id as the client sent it, echoed verbatim in the response.
	id json.RawMessage
	// wire is the id mcp-go got instead, or nil when it got id: mcp-go decodes ids into Go
	// values and echoes what it decoded (123456789012345678901234567890 comes back as
	// 1.2345678901234568e+29), and its own cancellation matches 12 with "12".
	wire json.RawMessage
	// key is the call's key in calls.
	key string
	// cancel stops the work, where the front controls the request's context (HTTP).
	cancel func()
	// batch collects the response when the request came in a batch (stdio).
	batch *batch
	// initialize marks an initialize request, whose response says the negotiated version.
	initialize bool

	mu        sync.Mutex
	cancelled bool
}

// markCancelled records that the client cancelled c: its response is not sent.
func (c *call) markCancelled() {
	c.mu.Lock()
	c.cancelled = true
	c.mu.Unlock()
	if c.cancel != nil {
		c.cancel()
	}
}

func (c *call) isCancelled() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cancelled
}

// restore returns a response of mcp-go's with the id the client sent.
func (c *call) restore(response []byte) []byte {
	if c.wire == nil {
		return response
	}
	return replaceID(response, c.id)
}

// calls are the requests in flight, by key (see idKey) and by the id mcp-go got.
type calls struct {
	mu     sync.Mutex
	m      map[string][]*call
	byWire map[string]*call
	// next numbers the ids the front gives mcp-go.
	next uint64
}

// add notes c under key; with substitute, c gets an id of the front's own for mcp-go.
func (cs *calls) add(key string, c *call, substitute bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.m == nil {
		cs.m = make(map[string][]*call)
		cs.byWire = make(map[string]*call)
	}
	c.key = key
	cs.m[key] = append(cs.m[key], c)
	if substitute {
		cs.next++
		c.wire = json.RawMessage(`"tuya-mcp-front-` + strconv.FormatUint(cs.next, 10) + `"`)
		cs.byWire[string(c.wire)] = c
	}
}

// takeWire removes and returns the call mcp-go knows by wire, or nil.
func (cs *calls) takeWire(wire []byte) *call {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	c := cs.byWire[string(wire)]
	if c != nil {
		cs.drop(c)
	}
	return c
}

// remove forgets c.
func (cs *calls) remove(c *call) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.drop(c)
}

func (cs *calls) drop(c *call) {
	if c.wire != nil {
		delete(cs.byWire, string(c.wire))
	}
	key := c.key
	l := cs.m[key]
	for i, x := range l {
		if x == c {
			l = append(l[:i:i], l[i+1:]...)
			break
		}
	}
	if len(l) == 0 {
		delete(cs.m, key)
	} else {
		cs.m[key] = l
	}
}

// cancel marks the call under key cancelled and returns it, when there is exactly one: when
// two requests in flight share the id, the front cannot tell which one the client meant, and
// cancellation is best effort by the specification, so neither is cancelled.
func (cs *calls) cancel(key string) *call {
	cs.mu.Lock()
	l := cs.m[key]
	cs.mu.Unlock()
	if len(l) != 1 {
		return nil
	}
	l[0].markCancelled()
	return l[0]
}

// cancelledID returns the requestId of a notifications/cancelled, or nil.
func cancelledID(m *Message) json.RawMessage {
	var p struct {
		RequestID json.RawMessage `json:"requestId"`
	}
	if m.Method != methodCancelled || json.Unmarshal(m.Params, &p) != nil || p.RequestID == nil || checkID(p.RequestID) != nil {
		return nil
	}
	return p.RequestID
}

// batchVersion is the protocol version a batch is answered under: the negotiated one (known),
// else BatchVersion, which the Streamable HTTP transport tells servers to assume when nothing
// says otherwise. (An initialize in a batch is refused, so it says nothing.)
func batchVersion(known string) string {
	if known != "" {
		return known
	}
	return BatchVersion
}

// batchRefused is the answer to a batch under a version without batches.
func batchRefused(version string) *Error {
	return invalidRequest(nil, "batches are part of protocol version %s only (this session uses %s): send one message at a time",
		BatchVersion, version)
}

// joinArray renders responses as one JSON array.
func joinArray(items [][]byte) []byte {
	n := 2
	for _, it := range items {
		n += len(it) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, '[')
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	return append(b, ']')
}
