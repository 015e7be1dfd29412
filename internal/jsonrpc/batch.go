package jsonrpc

import "sync"

// batch collects the responses to the items of one batch.
type batch struct {
	mu sync.Mutex
	// want counts the answers still to come, plus one that the code sending the items adds
	// once it sent them all, so that the batch cannot complete while items are still going out.
	want    int
	replies [][]byte
}

func newBatch(items int) *batch { return &batch{want: items + 1} }

// add records one answer (nil for none: a notification, a cancelled request, the sender's
// final one). When it was the last, it returns the batch's answer: the array of responses, or
// nil when there is none to send, as for a batch of notifications.
func (b *batch) add(reply []byte) (answer []byte, complete bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if reply != nil {
		b.replies = append(b.replies, reply)
	}
	b.want--
	if b.want > 0 {
		return nil, false
	}
	if len(b.replies) == 0 {
		return nil, true
	}
	return joinArray(b.replies), true
}
