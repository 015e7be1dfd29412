package jsonrpc

import (
	"encoding/json"
	"sync"
)

// call is a request in flight behind the front.
type call struct {
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

// calls are the requests in flight, by key (see idKey).
type calls struct {
	mu sync.Mutex
	m  map[string][]*call
}

func (cs *calls) add(key string, c *call) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.m == nil {
		cs.m = make(map[string][]*call)
	}
	cs.m[key] = append(cs.m[key], c)
}

// take removes and returns the oldest call under key, or nil.
func (cs *calls) take(key string) *call {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	l := cs.m[key]
	if len(l) == 0 {
		return nil
	}
	cs.drop(key, l[0])
	return l[0]
}

// remove forgets c.
func (cs *calls) remove(key string, c *call) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.drop(key, c)
}

func (cs *calls) drop(key string, c *call) {
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

// cancel marks the call under key cancelled and reports whether there was exactly one: when
// two requests in flight share the id, the front cannot tell which one the client meant, and
// cancellation is best effort by the specification.
func (cs *calls) cancel(key string) bool {
	cs.mu.Lock()
	l := cs.m[key]
	cs.mu.Unlock()
	if len(l) != 1 {
		return false
	}
	l[0].markCancelled()
	return true
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
// else the one an initialize in the batch asks for (mcp-go speaks it if it knows it; a version
// it does not know is answered with another, which is not BatchVersion either), else
// BatchVersion, which the Streamable HTTP transport tells servers to assume when nothing says
// otherwise.
func batchVersion(known string, msgs []Message) string {
	if known != "" {
		return known
	}
	for _, m := range msgs {
		if m.Err == nil && m.Method == methodInitialize {
			var p struct {
				ProtocolVersion string `json:"protocolVersion"`
			}
			_ = json.Unmarshal(m.Params, &p)
			return p.ProtocolVersion
		}
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
