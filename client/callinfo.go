package client

import (
	"context"
	"errors"
	"sync"
)

// CallInfo records what the transport saw for calls made with a context from WithCallInfo: the
// tid and code of the last answer (code 0 on success) and the number of attempts. Token calls
// made on the way are not counted as attempts, but when getting a token fails, its code and tid
// are the ones recorded. It is safe for concurrent use.
type CallInfo struct {
	mu       sync.Mutex
	tid      string
	code     int
	attempts int
	notes    []string
}

type callInfoKey struct{}

// WithCallInfo returns a context that makes the client record its calls in the returned CallInfo.
func WithCallInfo(ctx context.Context) (context.Context, *CallInfo) {
	ci := &CallInfo{}
	return context.WithValue(ctx, callInfoKey{}, ci), ci
}

func callInfoFrom(ctx context.Context) *CallInfo {
	ci, _ := ctx.Value(callInfoKey{}).(*CallInfo)
	return ci
}

// Tid returns the tid of the last answer, or "" when there was none (a network error).
func (ci *CallInfo) Tid() string {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	return ci.tid
}

// Code returns the code of the last answer: 0 on success or when no envelope came back.
func (ci *CallInfo) Code() int {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	return ci.code
}

// Attempts returns the number of HTTP attempts made, retries included.
func (ci *CallInfo) Attempts() int {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	return ci.attempts
}

// record notes one attempt; a nil CallInfo records nothing.
func (ci *CallInfo) record(tid string, code int) {
	if ci == nil {
		return
	}
	ci.mu.Lock()
	defer ci.mu.Unlock()
	ci.tid, ci.code = tid, code
	ci.attempts++
}

// note records the code and tid of a failure that came before any attempt (getting a token).
func (ci *CallInfo) note(err error) {
	var ae *APIError
	if ci == nil || !errors.As(err, &ae) {
		return
	}
	ci.mu.Lock()
	defer ci.mu.Unlock()
	ci.tid, ci.code = ae.Tid, ae.Code
}

// Notes returns what decoding the answers' results had to leave out: one line per value, naming
// its place in the answer (result.devices[0].active_time, say) and what it was.
func (ci *CallInfo) Notes() []string {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	return append([]string(nil), ci.notes...)
}

// addNotes records decoding notes; a nil CallInfo records nothing.
func (ci *CallInfo) addNotes(notes []string) {
	if ci == nil || len(notes) == 0 {
		return
	}
	ci.mu.Lock()
	defer ci.mu.Unlock()
	ci.notes = append(ci.notes, notes...)
}
