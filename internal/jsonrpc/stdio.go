package jsonrpc

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
)

// ListenFunc serves MCP on line-delimited JSON-RPC: mcp-go's StdioServer.Listen.
type ListenFunc func(ctx context.Context, in io.Reader, out io.Writer) error

// Stdio runs listen on in and out behind the front, until listen returns. Every line from in
// is read by the front first, as listen reads: what the front answers itself goes straight to
// out, the rest reaches listen one line per message (a batch is split into its items), and
// every line listen writes passes the front on its way to out, which drops the responses to
// cancelled requests and gathers those to a batch's items into one array.
// Requests check refuses are answered by the front (check may be nil). Refusals and dropped
// responses are logged to log (nil logs nothing).
func Stdio(ctx context.Context, in io.Reader, out io.Writer, listen ListenFunc, check Check, log *slog.Logger) error {
	s := &stdio{out: out, check: check, log: orDiscard(log)}
	return listen(ctx, &frontReader{s: s, in: bufio.NewReader(in)}, &lineWriter{emit: s.fromServer})
}

// stdio is the state of one stdio session.
type stdio struct {
	wmu   sync.Mutex
	out   io.Writer
	check Check
	log   *slog.Logger

	calls calls

	vmu sync.Mutex
	// version is the protocol version the session negotiated, "" until initialize answered.
	version string
}

// frontReader is mcp-go's input: the lines the front passes on, read from in as mcp-go asks
// for them.
type frontReader struct {
	s       *stdio
	in      *bufio.Reader
	pending bytes.Buffer
	err     error
}

func (r *frontReader) Read(p []byte) (int, error) {
	for r.pending.Len() == 0 && r.err == nil {
		line, err := r.in.ReadBytes('\n')
		// Blank lines separate nothing in line-delimited JSON: they are skipped, not answered.
		if len(bytes.Trim(line, " \t\r\n")) > 0 {
			if werr := r.s.fromClient(line, &r.pending); werr != nil {
				err = werr
			}
		}
		r.err = err
	}
	if r.pending.Len() > 0 {
		return r.pending.Read(p)
	}
	return 0, r.err
}

// fromClient handles one line from the client.
func (s *stdio) fromClient(line []byte, w io.Writer) error {
	msgs, isBatch, perr := Parse(line)
	if perr != nil {
		logRefusal(s.log, perr)
		return s.write(perr.Encode())
	}
	s.check.apply(msgs)
	if !isBatch {
		if e := msgs[0].Err; e != nil {
			logRefusal(s.log, e)
			return s.write(e.Encode())
		}
		return s.forward(&msgs[0], nil, w)
	}
	s.vmu.Lock()
	version := batchVersion(s.version)
	s.vmu.Unlock()
	if version != BatchVersion {
		refusal := batchRefused(version)
		logRefusal(s.log, refusal)
		return s.write(refusal.Encode())
	}
	n := 0
	for i := range msgs {
		if msgs[i].Err != nil || msgs[i].request() {
			n++
		}
	}
	b := newBatch(n)
	for i := range msgs {
		m := &msgs[i]
		if m.Err != nil {
			logRefusal(s.log, m.Err)
			s.complete(b, m.Err.Encode())
			continue
		}
		// Items go to mcp-go one per line: a batch may span lines inside.
		var buf bytes.Buffer
		_ = json.Compact(&buf, m.Raw)
		m.Raw = buf.Bytes()
		if err := s.forward(m, b, w); err != nil {
			return err
		}
	}
	s.complete(b, nil)
	return nil
}

// forward passes one message to mcp-go. Requests reach it under ids of the front's own (see
// call.wire), so that every response can be matched and given back the id as the client sent
// it, and so that the front, not mcp-go, decides which request a cancellation names: the same
// rule on both transports (calls.cancel), told to mcp-go by the id it knows.
func (s *stdio) forward(m *Message, b *batch, w io.Writer) error {
	raw := m.Raw
	switch {
	case m.Method == methodCancelled:
		var c *call
		if id := cancelledID(m); id != nil {
			c = s.calls.cancel(idKey(id))
		}
		if c == nil {
			s.log.Debug("ignored a cancellation that names no single request in flight")
			return nil
		}
		raw = []byte(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":` + string(c.wire) + `}}`)
	case m.request():
		c := &call{id: m.ID, batch: b, initialize: m.Method == methodInitialize}
		s.calls.add(idKey(m.ID), c, true)
		raw = replaceID(raw, c.wire)
	case m.Method == "" && (m.ID == nil || m.ID[0] == '"'):
		// A response from the client that answers none of mcp-go's requests, whose ids are
		// integers (or an error response without an id): mcp-go would answer it, which
		// JSON-RPC forbids.
		return nil
	}
	line := make([]byte, 0, len(raw)+1)
	line = append(append(line, raw...), '\n')
	_, err := w.Write(line)
	return err
}

// fromServer handles one line from mcp-go.
func (s *stdio) fromServer(line []byte) error {
	var env struct {
		ID     json.RawMessage `json:"id"`
		Method json.RawMessage `json:"method"`
		Result json.RawMessage `json:"result"`
	}
	if json.Unmarshal(line, &env) != nil || env.Method != nil || env.ID == nil {
		// Notifications and requests to the client go out as they are.
		return s.write(line)
	}
	c := s.calls.takeWire(env.ID)
	if c == nil {
		// mcp-go answered something that is no request of the client's: a response from the
		// client (mcp-go takes those to its own requests and answers the others with an
		// error), or a message it could not parse. JSON-RPC answers neither.
		s.log.Debug("dropped a response to no request", "id", string(env.ID))
		return nil
	}
	if c.initialize {
		var res struct {
			ProtocolVersion string `json:"protocolVersion"`
		}
		if json.Unmarshal(env.Result, &res) == nil && res.ProtocolVersion != "" {
			s.vmu.Lock()
			s.version = res.ProtocolVersion
			s.vmu.Unlock()
		}
	}
	var reply []byte
	if c.isCancelled() {
		s.log.Debug("dropped the response to a cancelled request", "id", string(c.id))
	} else {
		reply = c.restore(bytes.Clone(line))
	}
	if c.batch != nil {
		return s.complete(c.batch, reply)
	}
	if reply == nil {
		return nil
	}
	return s.write(reply)
}

// complete adds one answer to b and writes b's answer when it was the last.
func (s *stdio) complete(b *batch, reply []byte) error {
	if answer, done := b.add(reply); done && answer != nil {
		return s.write(answer)
	}
	return nil
}

// write sends one message to the client, on a line of its own.
func (s *stdio) write(msg []byte) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	_, err := s.out.Write(append(msg[:len(msg):len(msg)], '\n'))
	return err
}

// lineWriter splits what is written to it into lines for emit.
type lineWriter struct {
	mu   sync.Mutex
	buf  []byte
	emit func(line []byte) error
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	var err error
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		if e := w.emit(w.buf[:i]); e != nil && err == nil {
			err = e
		}
		w.buf = w.buf[i+1:]
	}
	if len(w.buf) == 0 {
		w.buf = nil
	}
	return len(p), err
}
