package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"strings"
	"sync"
)

// HTTP serves POST requests to Next (mcp-go's Streamable HTTP handler) behind the front. The
// body is read whole first: one over the limit of an http.MaxBytesReader put on it gets 413,
// chunked or not. What the front answers itself gets a JSON-RPC error and 400; a batch is
// answered with an array of responses (or 202 when none is due), its items served one by one
// by Next; a request the client cancels ends with 202 and no response.
type HTTP struct {
	Next http.Handler
	// Scope names who sent a request. A notifications/cancelled cancels the request in flight
	// with its requestId among those of the same scope; nil puts every request in one scope.
	Scope func(*http.Request) string
	// Check, when set, refuses requests before Next reads them.
	Check Check
	// Log gets a line per refused message and per dropped response; nil logs nothing.
	Log *slog.Logger

	calls calls
}

// maxParallel bounds the items of one batch served at the same time.
const maxParallel = 4

func (h *HTTP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, fmt.Sprintf("Request body too large: the limit is %d bytes", tooBig.Limit), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "Bad Request: reading the body: "+err.Error(), http.StatusBadRequest)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		// mcp-go says what is wrong with the content type.
		h.Next.ServeHTTP(w, withBody(r, r.Context(), body))
		return
	}
	msgs, isBatch, perr := Parse(body)
	h.Check.apply(msgs)
	switch {
	case perr != nil:
		h.refuse(w, perr)
	case !isBatch && msgs[0].Err != nil:
		// A well-formed request refused for its params: an answer like mcp-go's own.
		logRefusal(h.Log, msgs[0].Err)
		writeJSON(w, http.StatusOK, msgs[0].Err.Encode())
	case isBatch:
		h.serveBatch(w, r, msgs)
	default:
		h.serveOne(w, r, &msgs[0])
	}
}

// serveOne serves a single message, streaming mcp-go's answer through.
func (h *HTTP) serveOne(w http.ResponseWriter, r *http.Request, m *Message) {
	if !m.request() {
		if err := h.accept(r, m); err != nil {
			h.refuse(w, err)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if !verbatim(m.ID) {
		// mcp-go would not echo this id as sent: its response is recorded and given back the
		// id as sent. Progress notifications to such a request are not streamed.
		rec, c := h.record(r, m)
		if c.isCancelled() {
			orDiscard(h.Log).Debug("dropped the response to a cancelled request", "id", string(m.ID))
			w.WriteHeader(http.StatusAccepted)
			return
		}
		maps.Copy(w.Header(), rec.header)
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.code)
		w.Write(c.restore(rec.body.Bytes()))
		return
	}
	ctx, c, done := h.track(r, m)
	defer done()
	cw := &cancelWriter{w: w, c: c, header: http.Header{}}
	h.Next.ServeHTTP(cw, withBody(r, ctx, m.Raw))
	if c.isCancelled() {
		orDiscard(h.Log).Debug("dropped the response to a cancelled request", "id", string(m.ID))
		if !cw.started {
			w.WriteHeader(http.StatusAccepted)
		}
	}
}

// serveBatch serves a batch under the protocol version of the MCP-Protocol-Version header (the
// request has no session to remember one), else batchVersion's.
func (h *HTTP) serveBatch(w http.ResponseWriter, r *http.Request, msgs []Message) {
	if v := batchVersion(r.Header.Get("Mcp-Protocol-Version")); v != BatchVersion {
		h.refuse(w, batchRefused(v))
		return
	}
	b := newBatch(len(msgs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxParallel)
	for i := range msgs {
		m := &msgs[i]
		if m.Err != nil {
			logRefusal(h.Log, m.Err)
			b.add(m.Err.Encode())
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			b.add(h.dispatch(r, m))
		})
	}
	wg.Wait()
	answer, _ := b.add(nil)
	if answer == nil {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

// dispatch serves one batch item through Next and returns its response, or nil when none is
// due.
func (h *HTTP) dispatch(r *http.Request, m *Message) []byte {
	if !m.request() {
		// JSON-RPC answers no notification in a batch, not even to refuse it.
		_ = h.accept(r, m)
		return nil
	}
	rec, c := h.record(r, m)
	if c.isCancelled() {
		orDiscard(h.Log).Debug("dropped the response to a cancelled request", "id", string(m.ID))
		return nil
	}
	if body := bytes.TrimSpace(rec.body.Bytes()); len(body) > 0 && body[0] == '{' {
		return c.restore(body)
	}
	// mcp-go refused the item at the HTTP level (a plain-text error).
	return invalidRequest(m.ID, "%s: %s", http.StatusText(rec.code), strings.TrimSpace(rec.body.String())).Encode()
}

// accept takes a notification, or a response from the client, and returns the error that
// refuses it, if any. notifications/cancelled is the front's: a stateless server shares no
// session with the request it names, so mcp-go could not match the two.
func (h *HTTP) accept(r *http.Request, m *Message) *Error {
	if m.Method == methodCancelled {
		if id := cancelledID(m); id != nil {
			h.calls.cancel(h.key(r, id))
		}
		return nil
	}
	if m.Method == "" && m.ID == nil {
		// An error response without an id answers no request of mcp-go's.
		return nil
	}
	rec := &recorder{header: http.Header{}, code: http.StatusOK}
	h.Next.ServeHTTP(rec, withBody(r, r.Context(), m.Raw))
	if m.Method == "" {
		// A response from the client: JSON-RPC answers none, not even to refuse it (mcp-go
		// refuses one with an error for want of a session).
		return nil
	}
	var answer struct {
		Error *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(rec.body.Bytes(), &answer) == nil && answer.Error != nil {
		// mcp-go's refusal carries "id": null; there is no id to echo.
		return &Error{Code: answer.Error.Code, Message: answer.Error.Message}
	}
	if rec.code >= http.StatusBadRequest {
		return invalidRequest(nil, "%s: %s", http.StatusText(rec.code), strings.TrimSpace(rec.body.String()))
	}
	return nil
}

// record serves request m through Next into a recorder, under an id of the front's own when
// mcp-go would not echo m's as sent (see call.restore). The recorder cannot stream, so mcp-go
// answers with one JSON response.
func (h *HTTP) record(r *http.Request, m *Message) (*recorder, *call) {
	ctx, c, done := h.track(r, m)
	defer done()
	rec := &recorder{header: http.Header{}, code: http.StatusOK}
	raw := m.Raw
	if c.wire != nil {
		raw = replaceID(raw, c.wire)
	}
	h.Next.ServeHTTP(rec, withBody(r, ctx, raw))
	return rec, c
}

// track notes a request in flight and returns its context, which a cancellation ends.
func (h *HTTP) track(r *http.Request, m *Message) (context.Context, *call, func()) {
	ctx, cancel := context.WithCancel(r.Context())
	c := &call{id: m.ID, cancel: cancel}
	h.calls.add(h.key(r, m.ID), c, !verbatim(m.ID))
	return ctx, c, func() {
		h.calls.remove(c)
		cancel()
	}
}

// verbatim reports whether mcp-go echoes id as sent: it decodes an id into a Go value and
// encodes that back.
func verbatim(id json.RawMessage) bool {
	var v any
	if json.Unmarshal(id, &v) != nil {
		return false
	}
	b, err := json.Marshal(v)
	return err == nil && bytes.Equal(b, id)
}

func (h *HTTP) key(r *http.Request, id []byte) string {
	scope := ""
	if h.Scope != nil {
		scope = h.Scope(r)
	}
	return scope + "\x00" + idKey(id)
}

// withBody is r with ctx and body, for Next.
func withBody(r *http.Request, ctx context.Context, body []byte) *http.Request {
	r2 := r.Clone(ctx)
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.ContentLength = int64(len(body))
	return r2
}

// refuse answers a message the front refuses.
func (h *HTTP) refuse(w http.ResponseWriter, e *Error) {
	logRefusal(h.Log, e)
	writeJSON(w, http.StatusBadRequest, e.Encode())
}

func writeJSON(w http.ResponseWriter, code int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(body)
}

// cancelWriter passes a response through until the request is cancelled, and drops it from
// then on: a cancelled request gets no response.
type cancelWriter struct {
	w       http.ResponseWriter
	c       *call
	header  http.Header
	started bool // guarded by c.mu
}

func (cw *cancelWriter) Header() http.Header { return cw.header }

func (cw *cancelWriter) WriteHeader(code int) {
	cw.c.mu.Lock()
	defer cw.c.mu.Unlock()
	cw.start(code)
}

func (cw *cancelWriter) start(code int) {
	if cw.started || cw.c.cancelled {
		return
	}
	cw.started = true
	maps.Copy(cw.w.Header(), cw.header)
	cw.w.WriteHeader(code)
}

func (cw *cancelWriter) Write(p []byte) (int, error) {
	cw.c.mu.Lock()
	defer cw.c.mu.Unlock()
	cw.start(http.StatusOK)
	if cw.c.cancelled {
		return len(p), nil
	}
	return cw.w.Write(p)
}

// Flush lets mcp-go stream events (SSE) through.
func (cw *cancelWriter) Flush() {
	cw.c.mu.Lock()
	defer cw.c.mu.Unlock()
	if f, ok := cw.w.(http.Flusher); ok && cw.started && !cw.c.cancelled {
		f.Flush()
	}
}

// recorder keeps a batch item's response.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(code int)        { r.code = code }
func (r *recorder) Write(p []byte) (int, error) { return r.body.Write(p) }
