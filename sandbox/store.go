package sandbox

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// stateVersion is bumped when the saved JSON changes incompatibly.
const stateVersion = 1

// store is everything the API reads and writes. It is guarded by Sandbox.mu and saved as JSON.
type store struct {
	Version     int                      `json:"version"`
	Schemas     []string                 `json:"schemas"`
	Products    map[string]*product      `json:"products"`
	Users       map[string]*User         `json:"users"`
	Devices     map[string]*Device       `json:"devices"`
	DeviceUsers map[string][]*DeviceUser `json:"device_users"`
	// Logs are kept per device in ascending (event_time, seq) order.
	Logs map[string][]Log `json:"logs"`
	// The sequences make new ids deterministic and survive a save and load.
	UserSeq       int64 `json:"user_seq"`
	DeviceUserSeq int64 `json:"device_user_seq"`
	LogSeq        int64 `json:"log_seq"`
}

func newStore() *store {
	return &store{
		Version:     stateVersion,
		Products:    map[string]*product{},
		Users:       map[string]*User{},
		Devices:     map[string]*Device{},
		DeviceUsers: map[string][]*DeviceUser{},
		Logs:        map[string][]Log{},
	}
}

func (st *store) hasSchema(schema string) bool { return slices.Contains(st.Schemas, schema) }

// newUID returns the next user id: "ay", 13 digits and 6 letters or digits, like the cloud's.
func (st *store) newUID() string {
	for {
		st.UserSeq++
		uid := uidFor(st.UserSeq)
		if _, taken := st.Users[uid]; !taken {
			return uid
		}
	}
}

func uidFor(seq int64) string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	h := sha256.Sum256([]byte("tuya-sandbox-uid-" + strconv.FormatInt(seq, 10)))
	n := 1500000000000 + binary.BigEndian.Uint64(h[:8])%300000000000
	b := []byte("ay" + strconv.FormatUint(n, 10))
	for _, c := range h[8:14] {
		b = append(b, alnum[int(c)%len(alnum)])
	}
	return string(b)
}

// newDeviceUserID returns the next device-user id, a numeric string.
func (st *store) newDeviceUserID() string {
	st.DeviceUserSeq++
	return strconv.FormatInt(st.DeviceUserSeq, 10)
}

// addLog appends an event, keeping the device's logs in order.
func (st *store) addLog(deviceID string, l Log) {
	st.LogSeq++
	l.Seq = st.LogSeq
	logs := st.Logs[deviceID]
	i, _ := slices.BinarySearchFunc(logs, l, compareLogs)
	st.Logs[deviceID] = slices.Insert(logs, i, l)
}

// addLogs adds a batch of events with the result of calling addLog on each in turn, with one
// sort instead of an insertion per event: the demo data adds thousands at start. It sorts
// small keys rather than the events, which hold strings (no pointers to move about), then
// moves each event once into place. It numbers and reorders the events in ls in place.
func (st *store) addLogs(deviceID string, ls []Log) {
	for i := range ls {
		st.LogSeq++
		ls[i].Seq = st.LogSeq
	}
	logs := ls
	if old := st.Logs[deviceID]; len(old) > 0 {
		logs = append(old, ls...)
	}
	type key struct {
		time, seq int64
		from      int
	}
	keys := make([]key, len(logs))
	for i, l := range logs {
		keys[i] = key{l.EventTime, l.Seq, i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.time, b.time), cmp.Compare(a.seq, b.seq))
	})
	// Position i takes the event at keys[i].from: follow each cycle of that permutation,
	// marking the positions done by pointing them at themselves.
	for i := range keys {
		if keys[i].from == i {
			continue
		}
		first := logs[i]
		at := i
		for keys[at].from != i {
			from := keys[at].from
			logs[at] = logs[from]
			keys[at].from = at
			at = from
		}
		logs[at] = first
		keys[at].from = at
	}
	st.Logs[deviceID] = logs
}

func compareLogs(a, b Log) int {
	return cmp.Or(cmp.Compare(a.EventTime, b.EventTime), cmp.Compare(a.Seq, b.Seq))
}

// sortedDevices returns the devices in id order, the stable order of every device list.
func (st *store) sortedDevices() []*Device {
	return slices.SortedFunc(maps.Values(st.Devices), func(a, b *Device) int { return cmp.Compare(a.ID, b.ID) })
}

// schemaUsers returns the users of an app in creation order.
func (st *store) schemaUsers(schema string) []*User {
	var out []*User
	for _, u := range st.Users {
		if u.Schema == schema {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b *User) int {
		return cmp.Or(cmp.Compare(a.CreateTime, b.CreateTime), cmp.Compare(a.UID, b.UID))
	})
	return out
}

// deleteDevice removes a device with everything attached to it, sub-devices included.
func (st *store) deleteDevice(id string) {
	for _, d := range st.Devices {
		if d.GatewayID == id {
			st.deleteDevice(d.ID)
		}
	}
	delete(st.Devices, id)
	delete(st.DeviceUsers, id)
	delete(st.Logs, id)
}

// validate checks what the handlers rely on, so that a hand-edited state file fails at load
// rather than in the middle of a request, and fills in the maps an empty store may lack.
func (st *store) validate() error {
	if st.Version != stateVersion {
		return fmt.Errorf("state version %d, want %d", st.Version, stateVersion)
	}
	if st.Products == nil || st.Users == nil || st.Devices == nil {
		return errors.New("state lacks products, users or devices")
	}
	for id, d := range st.Devices {
		if d == nil || d.ID != id {
			return fmt.Errorf("device keyed %q holds another id", id)
		}
		if _, ok := st.Products[d.ProductID]; !ok {
			return fmt.Errorf("device %s: unknown product %q", id, d.ProductID)
		}
	}
	for id, u := range st.Users {
		if u == nil || u.UID != id {
			return fmt.Errorf("user keyed %q holds another uid", id)
		}
	}
	for id, dus := range st.DeviceUsers {
		if slices.Contains(dus, nil) {
			return fmt.Errorf("device %s: null device user", id)
		}
	}
	for id, logs := range st.Logs {
		if !slices.IsSortedFunc(logs, compareLogs) {
			return fmt.Errorf("device %s: logs out of order", id)
		}
	}
	// State saved before products had specifications gets the demo product's, so that its
	// devices take commands.
	for _, p := range demoProducts() {
		if old := st.Products[p.ID]; old != nil && old.Spec == nil {
			old.Spec = p.Spec
		}
	}
	if st.DeviceUsers == nil {
		st.DeviceUsers = map[string][]*DeviceUser{}
	}
	if st.Logs == nil {
		st.Logs = map[string][]Log{}
	}
	return nil
}

// Save writes the store (not tokens, faults or counters) as JSON.
func (s *Sandbox) Save(w io.Writer) error {
	s.mu.Lock()
	b, err := json.MarshalIndent(s.st, "", "  ")
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("sandbox: encode state: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("sandbox: write state: %w", err)
	}
	return nil
}

// Load replaces the store with one written by Save. Tokens, faults and counters are kept.
func (s *Sandbox) Load(r io.Reader) error {
	st := &store{}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(st); err != nil {
		return fmt.Errorf("sandbox: decode state: %w", err)
	}
	if err := st.validate(); err != nil {
		return fmt.Errorf("sandbox: invalid state: %w", err)
	}
	s.mu.Lock()
	s.st = st
	s.mu.Unlock()
	return nil
}

// SaveFile saves the store to path atomically: readers see the old file or the new one.
func (s *Sandbox) SaveFile(path string) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("sandbox: save state: %w", err)
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	if err := s.Save(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sandbox: save state: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("sandbox: save state: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("sandbox: save state: %w", err)
	}
	return nil
}

// LoadFile loads a store saved by SaveFile.
func (s *Sandbox) LoadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sandbox: load state: %w", err)
	}
	defer f.Close()
	return s.Load(f)
}
