package sandbox

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Log event types (the "event types" table of the Device Management page).
const (
	eventOnline    = 1
	eventOffline   = 2
	eventActivate  = 3
	eventReset     = 4
	eventCommand   = 5
	eventFirmware  = 6
	eventReport    = 7
	eventSemaphore = 8
	eventRestart   = 9
	eventTiming    = 10
)

// Log event sources (the "event sources" table of the Device Management page).
const (
	fromDevice     = "1"
	fromClient     = "2"
	fromThirdParty = "3"
	fromCloud      = "4"
)

const (
	defaultLogSize = 20
	maxLogSize     = 100
	// defaultLogSpan is how far back a log query reaches when start_time is 0 or empty.
	defaultLogSpan = 7 * 24 * time.Hour
)

// logQuery is a parsed GET /v1.0/devices/{device_id}/logs query.
type logQuery struct {
	types      []int
	start, end int64 // unix milliseconds, inclusive
	codes      []string
	size       int
	paid       bool
	// after is the paging position: logs at or after it (free edition, start_row_key) or
	// strictly after it (paid edition, last_row_key or last_event_time), newest first.
	after     *Log
	inclusive bool
}

func parseLogQuery(q url.Values, now time.Time) (logQuery, error) {
	var lq logQuery
	if q.Get("type") == "" {
		return lq, errEmpty("type")
	}
	for _, item := range strings.Split(q.Get("type"), ",") {
		t, err := strconv.Atoi(strings.TrimSpace(item))
		if err != nil || t < eventOnline || t > eventTiming {
			return lq, errIllegal("type must be a comma list of event types 1 to 10, got %q", q.Get("type"))
		}
		lq.types = append(lq.types, t)
	}
	start, _, err := millisParam(q, "start_time", true)
	if err != nil {
		return lq, err
	}
	if start == 0 {
		start = now.Add(-defaultLogSpan).UnixMilli()
	}
	end, ok, err := millisParam(q, "end_time", false)
	if err == nil && !ok {
		err = errEmpty("end_time")
	}
	if err != nil {
		return lq, err
	}
	if end < start {
		return lq, errRange("end_time %d is before start_time %d", end, start)
	}
	lq.start, lq.end = start, end
	lq.codes = splitList(q.Get("codes"))
	size, ok, err := intParam(q, "size")
	if err != nil {
		return lq, err
	}
	if !ok {
		size = defaultLogSize
	}
	if size < 1 || size > maxLogSize {
		return lq, errRange("size must be between 1 and %d, got %d", maxLogSize, size)
	}
	lq.size = int(size)
	switch qt := q.Get("query_type"); qt {
	case "", "1":
		if key := q.Get("start_row_key"); key != "" {
			raw, err := base64.StdEncoding.DecodeString(key)
			if err != nil {
				return lq, errIllegal("start_row_key is not a row key from an earlier page")
			}
			if lq.after, err = parseRow(string(raw)); err != nil {
				return lq, err
			}
			lq.inclusive = true
		}
	case "2":
		lq.paid = true
		if row := q.Get("last_row_key"); row != "" {
			if lq.after, err = parseRow(row); err != nil {
				return lq, err
			}
		} else if t, ok, err := intParam(q, "last_event_time"); err != nil {
			return lq, err
		} else if ok {
			// Every event of that millisecond was on the last page.
			lq.after = &Log{EventTime: t}
		}
	default:
		return lq, errIllegal("query_type must be 1 (free edition) or 2 (paid edition), got %q", qt)
	}
	return lq, nil
}

// millisParam parses a 13-digit unix-milliseconds query parameter; zeroOK accepts 0 as well.
func millisParam(q url.Values, name string, zeroOK bool) (int64, bool, error) {
	n, ok, err := intParam(q, name)
	if err != nil || !ok || (zeroOK && n == 0) {
		return n, ok, err
	}
	if n < 1e12 || n >= 1e13 {
		return 0, true, errIllegal("%s must be a 13-digit unix time in milliseconds, got %d", name, n)
	}
	return n, true, nil
}

// A row key names a log the way the cloud's HBase rows do: a device hash, the reversed event
// time (so that newer sorts first), the event type and a sequence number.
func rowKey(deviceID string, l Log) string {
	sum := sha256.Sum256([]byte(deviceID))
	return fmt.Sprintf("%s_%d_%d_%d", hex.EncodeToString(sum[:14]), math.MaxInt64-l.EventTime, l.EventID, l.Seq)
}

func parseRow(row string) (*Log, error) {
	parts := strings.Split(row, "_")
	if len(parts) != 4 {
		return nil, errIllegal("row key %q is not a row key from an earlier page", row)
	}
	rev, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.Atoi(parts[2])
	seq, err3 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || rev < 0 {
		return nil, errIllegal("row key %q is not a row key from an earlier page", row)
	}
	return &Log{EventTime: math.MaxInt64 - rev, EventID: id, Seq: seq}, nil
}

type logJSON struct {
	Code      *string `json:"code,omitempty"`
	Value     *string `json:"value,omitempty"`
	EventTime int64   `json:"event_time"`
	EventFrom string  `json:"event_from"`
	EventID   int     `json:"event_id"`
	Status    string  `json:"status"`
	Row       string  `json:"row,omitempty"`
}

type freeLogs struct {
	Logs          []logJSON `json:"logs"`
	HasNext       bool      `json:"has_next"`
	DeviceID      string    `json:"device_id"`
	CurrentRowKey string    `json:"current_row_key"`
	// NextRowKey is null on the last page, as the Device Management page says.
	NextRowKey *string `json:"next_row_key"`
}

type paidLogs struct {
	Logs     []logJSON `json:"logs"`
	HasNext  bool      `json:"has_next"`
	DeviceID string    `json:"device_id"`
	Count    int       `json:"count"`
}

// listLogs is GET /v1.0/devices/{device_id}/logs: the device's events in the window, of the
// types and data points asked, newest first, one page of them.
func (s *Sandbox) listLogs(c *call) (any, error) {
	d, err := s.pathDevice(c)
	if err != nil {
		return nil, err
	}
	lq, err := parseLogQuery(c.query, c.now)
	if err != nil {
		return nil, err
	}
	all := s.st.Logs[d.ID]
	var match []Log
	for i := len(all) - 1; i >= 0; i-- {
		l := all[i]
		if l.EventTime >= lq.start && l.EventTime <= lq.end && slices.Contains(lq.types, l.EventID) &&
			(len(lq.codes) == 0 || slices.Contains(lq.codes, l.Code)) {
			match = append(match, l)
		}
	}
	from := 0
	if lq.after != nil {
		from = slices.IndexFunc(match, func(l Log) bool {
			c := compareLogs(l, *lq.after)
			return c < 0 || (lq.inclusive && c == 0)
		})
		if from < 0 {
			from = len(match)
		}
	}
	to := min(from+lq.size, len(match))
	logs := make([]logJSON, 0, to-from)
	for _, l := range match[from:to] {
		lj := logJSON{EventTime: l.EventTime, EventFrom: l.EventFrom, EventID: l.EventID, Status: "1"}
		if l.Code != "" {
			lj.Code, lj.Value = &l.Code, &l.Value
		}
		if lq.paid {
			lj.Row = rowKey(d.ID, l)
		}
		logs = append(logs, lj)
	}
	hasNext := to < len(match)
	if lq.paid {
		return paidLogs{Logs: logs, HasNext: hasNext, DeviceID: d.ID, Count: len(match)}, nil
	}
	out := freeLogs{Logs: logs, HasNext: hasNext, DeviceID: d.ID, CurrentRowKey: c.query.Get("start_row_key")}
	if from < to {
		out.CurrentRowKey = encodeRow(d.ID, match[from])
	}
	if hasNext {
		next := encodeRow(d.ID, match[to])
		out.NextRowKey = &next
	}
	return out, nil
}

func encodeRow(deviceID string, l Log) string {
	return base64.StdEncoding.EncodeToString([]byte(rowKey(deviceID, l)))
}
