package testutil_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tuya-mcp/tuya-mcp/internal/testutil"
)

func TestClock(t *testing.T) {
	start := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	c := testutil.NewClock(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("Now = %v, want %v", got, start)
	}
	c.Advance(90 * time.Minute)
	if got, want := c.Now(), start.Add(90*time.Minute); !got.Equal(want) {
		t.Fatalf("after Advance, Now = %v, want %v", got, want)
	}
}

func TestSyncBufferConcurrentWrites(t *testing.T) {
	var b testutil.SyncBuffer
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() { fmt.Fprintf(&b, "%02d\n", i) })
	}
	wg.Wait()
	if got := len(b.String()); got != 50*3 {
		t.Fatalf("%d bytes written, want %d", got, 150)
	}
}
