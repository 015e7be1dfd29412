package tools_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tuya-mcp/tuya-mcp/client"
	"github.com/tuya-mcp/tuya-mcp/sandbox"
	"github.com/tuya-mcp/tuya-mcp/tools"
	"github.com/tuya-mcp/tuya-mcp/tools/tooltest"
)

// The fault soak: many MCP clients run a mixed read and write workload against a sandbox that
// fails, drops, rate-limits, delays and revokes tokens, and the test checks that every call ends
// in an explained way, that no acknowledged write is lost, that no device user is created twice
// and that nothing leaks. CI runs it small; by hand:
//
//	TUYA_MCP_SOAK_CALLS=5000 go test -run Soak -v ./tools

const (
	soakClients = 16
	// soakRevokeEvery is how many calls pass between token revocations.
	soakRevokeEvery = 150
	// soakCallLimit bounds one call, so that a hung call fails the test rather than the run.
	soakCallLimit = 60 * time.Second
	// Extra goroutines and descriptors tolerated after everything closed: the runtime and the
	// net poller keep a few of their own once the network was first used.
	goroutineSlack = 3
	fdSlack        = 4
)

// soakFaults are the injected faults: 20% system errors, 1% dropped connections, a QPS limit
// low enough to bite at the soak's pace, latency that varies up to 25 ms, and every quirk of
// the real cloud's answers.
var soakFaults = sandbox.Faults{FailRate: 0.2, DropRate: 0.01, QPS: 200, LatencyJitter: 25 * time.Millisecond, Seed: 7,
	Quirks: sandbox.Quirks{Numbers: true, Bools: true, Nulls: true, NoResult: true, Extra: true}}

// soakCalls is the soak's size: TUYA_MCP_SOAK_CALLS, or a size that keeps CI quick.
func soakCalls(t *testing.T) int {
	t.Helper()
	s := os.Getenv("TUYA_MCP_SOAK_CALLS")
	if s == "" {
		return 600
	}
	// Fewer calls would not reach a token revocation.
	n, err := strconv.Atoi(s)
	if err != nil || n < 2*soakRevokeEvery {
		t.Fatalf("TUYA_MCP_SOAK_CALLS=%q: want a number of calls, at least %d", s, 2*soakRevokeEvery)
	}
	return n
}

// register is the history of one value that only one client writes, one write at a time: a
// device name, an outlet name, a user's nickname, a device user's weight.
type register struct {
	initial string
	sent    []string
	// acked is the index in sent of the last acknowledged write, -1 when none was.
	acked int
}

func newRegister(initial string) *register { return &register{initial: initial, acked: -1} }

func (r *register) write(v string, ok bool) {
	r.sent = append(r.sent, v)
	if ok {
		r.acked = len(r.sent) - 1
	}
}

// possible returns the values the register may hold now: the last acknowledged one (the initial
// one when none was acknowledged) or any later one whose write failed, since a failed write may
// have taken effect before its answer was lost.
func (r *register) possible() []string {
	out := []string{r.initial}
	if r.acked >= 0 {
		out = []string{r.sent[r.acked]}
	}
	return append(out, r.sent[r.acked+1:]...)
}

// addedUser is a device user a soak client tried to add.
type addedUser struct {
	nick string
	// id is set when the add was acknowledged.
	id                      string
	weight                  *register
	deleteSent, deleteAcked bool
}

func (u *addedUser) live() bool { return u.id != "" && !u.deleteSent }

// tally counts call outcomes by kind and keeps the unexplained ones.
type tally struct {
	kinds    map[string]int
	problems []string
}

func (ta *tally) problem(format string, args ...any) {
	if len(ta.problems) < 20 {
		ta.problems = append(ta.problems, fmt.Sprintf(format, args...))
	}
}

// soakCodes are the Tuya codes the faults can leave after the client's retries: system error,
// token refused (revoked twice within one call) and the rate limits.
var soakCodes = []int{client.CodeSystemError, client.CodeTokenInvalid, client.CodeConcurrentLimit, client.CodeSystemBusy, client.CodeTooFrequent}

var tuyaCodeRE = regexp.MustCompile(`Tuya error (\d+) \(`)

// classify names the outcome of a call: "ok", "tuya_N", or the transport reason of an isError.
// Anything else is "unexplained".
func classify(res *mcp.CallToolResult, err error) string {
	switch {
	case err != nil:
		return "mcp_error"
	case !res.IsError:
		return "ok"
	}
	text := tools.ResultText(res)
	if m := tuyaCodeRE.FindStringSubmatch(text); m != nil {
		return "tuya_" + m[1]
	}
	for _, k := range []struct{ kind, phrase string }{
		{"outcome_unknown", "the outcome is unknown"},
		{"no_answer", "could not get an answer from the Tuya cloud"},
		{"timeout", "timed out after"},
	} {
		if strings.Contains(text, k.phrase) {
			return k.kind
		}
	}
	return "unexplained"
}

// soakClient is one MCP client of the soak with the state it alone writes.
type soakClient struct {
	// schemas are the output schemas by tool name.
	schemas map[string]*jsonschema.Schema
	id      int
	mc      *tooltest.Conn
	rng     *rand.Rand
	device  string
	// outlet is the strip outlet this client names, or "".
	outlet   string
	username string
	name     *register
	outletNm *register
	nick     *register
	users    []*addedUser
	seq      int
	ta       tally
	calls    *atomic.Int64
	revoke   func()
	sb       *sandbox.Server
	// control is the data point this client sends commands to, once its device's specification
	// was read: nil before, and with code "" when the device takes no Boolean or Integer.
	control *controlled
}

// controlled is a data point a soak client commands, with the history of its value (raw JSON).
type controlled struct {
	code, typ      string
	min, max, step int64
	value          *register
}

// call runs one tool call, classifies it and reports whether it succeeded.
func (c *soakClient) call(name string, args map[string]any) (*mcp.CallToolResult, bool) {
	res, err := callWithin(c.mc, soakCallLimit, name, args)
	if c.calls.Add(1)%soakRevokeEvery == 0 {
		c.revoke()
	}
	kind := classify(res, err)
	c.ta.kinds[kind]++
	switch {
	case kind == "mcp_error":
		c.ta.problem("%s: %v", name, err)
	case kind == "unexplained":
		c.ta.problem("%s: unexplained isError %q", name, tools.ResultText(res))
	case strings.HasPrefix(kind, "tuya_"):
		code, _ := strconv.Atoi(strings.TrimPrefix(kind, "tuya_"))
		if !slices.Contains(soakCodes, code) {
			c.ta.problem("%s(%v): unexpected %q", name, args, tools.ResultText(res))
		}
	case kind == "ok" && res.StructuredContent == nil:
		c.ta.problem("%s: a success without structured content", name)
	case kind == "ok":
		if err := tooltest.Conforms(c.schemas[name], res); err != nil {
			c.ta.problem("%s: %v", name, err)
		}
	}
	return res, kind == "ok"
}

func (c *soakClient) next() int {
	c.seq++
	return c.seq
}

// structured returns a success's structured content as a map.
func structured(res *mcp.CallToolResult) map[string]any {
	m, _ := res.StructuredContent.(map[string]any)
	return m
}

func (c *soakClient) deviceGet() {
	res, ok := c.call("device_get", map[string]any{"device_id": c.device})
	if !ok {
		return
	}
	if name := structured(res)["name"]; !slices.Contains(c.name.possible(), fmt.Sprint(name)) {
		c.ta.problem("device_get %s: name %q, want one of %q", c.device, name, c.name.possible())
	}
}

func (c *soakClient) deviceList() { c.call("device_list", map[string]any{"page_size": 10}) }

func (c *soakClient) logList() {
	c.call("device_log_list", map[string]any{"device_id": c.device, "size": 10})
}

func (c *soakClient) userList() { c.call("user_list", map[string]any{"page_size": 5}) }

func (c *soakClient) deviceUserList() {
	res, ok := c.call("device_user_list", map[string]any{"device_id": c.device})
	if !ok {
		return
	}
	users, isList := structured(res)["device_users"].([]any)
	if !isList {
		c.ta.problem("device_user_list %s: no device_users list in %v", c.device, res.StructuredContent)
		return
	}
	listed := map[string]bool{}
	for _, u := range users {
		if m, isMap := u.(map[string]any); isMap {
			listed[fmt.Sprint(m["user_id"])] = true
		}
	}
	for _, u := range c.users {
		if u.live() && !listed[u.id] {
			c.ta.problem("device_user_list %s: the acknowledged user %s (%s) is missing", c.device, u.id, u.nick)
		}
	}
}

func (c *soakClient) rename() {
	name := fmt.Sprintf("soak %d-%d", c.id, c.next())
	_, ok := c.call("device_rename", map[string]any{"device_id": c.device, "name": name})
	c.name.write(name, ok)
}

func (c *soakClient) outletRename() {
	if c.outlet == "" {
		c.rename()
		return
	}
	name := fmt.Sprintf("outlet %d-%d", c.id, c.next())
	_, ok := c.call("device_outlet_name_set", map[string]any{"device_id": sandbox.DemoStripID, "identifier": c.outlet, "name": name})
	c.outletNm.write(name, ok)
}

func (c *soakClient) add() {
	n := c.next()
	u := &addedUser{nick: fmt.Sprintf("soak-c%d-u%d", c.id, n), weight: newRegister(strconv.Itoa(50000 + n))}
	res, ok := c.call("device_user_add", map[string]any{"device_id": c.device, "nick_name": u.nick, "sex": "female", "weight": 50000 + n})
	if ok {
		u.id = fmt.Sprint(structured(res)["user_id"])
	}
	c.users = append(c.users, u)
}

// liveUser picks one of the client's acknowledged, undeleted device users, or nil.
func (c *soakClient) liveUser() *addedUser {
	var live []*addedUser
	for _, u := range c.users {
		if u.live() {
			live = append(live, u)
		}
	}
	if len(live) == 0 {
		return nil
	}
	return live[c.rng.IntN(len(live))]
}

func (c *soakClient) edit() {
	u := c.liveUser()
	if u == nil {
		c.add()
		return
	}
	w := 60000 + c.next()
	_, ok := c.call("device_user_edit", map[string]any{"device_id": c.device, "user_id": u.id, "nick_name": u.nick, "sex": 2, "weight": w})
	u.weight.write(strconv.Itoa(w), ok)
}

func (c *soakClient) remove() {
	u := c.liveUser()
	if u == nil {
		c.add()
		return
	}
	// A delete whose answer was lost is retried (it is idempotent), and the retry finds the
	// user gone: the tool reports that as done, with a note, so a 2006 is a failure here.
	_, ok := c.call("device_user_delete", map[string]any{"device_id": c.device, "user_id": u.id})
	u.deleteSent, u.deleteAcked = true, ok
}

// controlDP reads the device's specification once and picks a Boolean or Integer function.
func (c *soakClient) controlDP() *controlled {
	if c.control != nil {
		return c.control
	}
	res, ok := c.call("device_specification_get", map[string]any{"device_id": c.device})
	if !ok {
		return nil
	}
	c.control = &controlled{}
	fs, _ := structured(res)["functions"].([]any)
	for _, f := range fs {
		m, _ := f.(map[string]any)
		code, typ := fmt.Sprint(m["code"]), fmt.Sprint(m["type"])
		if typ == "Boolean" || typ == "Integer" && m["min"] != nil && m["max"] != nil {
			num := func(k string) int64 { n, _ := m[k].(float64); return int64(n) }
			c.control = &controlled{code: code, typ: typ, min: num("min"), max: num("max"), step: max(num("step"), 1),
				value: newRegister(statusValue(c.sb.Sandbox, c.device, code))}
			break
		}
	}
	return c.control
}

// command sends a new value to the client's data point; an offline device, or one with nothing
// to command, has its status read instead.
func (c *soakClient) command() {
	d, _ := c.sb.Device(c.device)
	dp := c.controlDP()
	if !d.Online || dp == nil || dp.code == "" {
		c.status()
		return
	}
	n := int64(c.next())
	var v any = n%2 == 0
	if dp.typ == "Integer" {
		v = dp.min + dp.step*(n%((dp.max-dp.min)/dp.step+1))
	}
	_, ok := c.call("device_command_send", map[string]any{"device_id": c.device, "commands": cmds(dp.code, v)})
	dp.value.write(mustJSON(v), ok)
}

// quirkEqual reports whether a data point value read back is the JSON value want, as the
// sandbox's quirks may send it: a number or boolean as a string, a boolean as 0 or 1.
func quirkEqual(got any, want string) bool {
	g := mustJSON(got)
	switch s, isString := got.(string); {
	case g == want:
		return true
	case isString && s == want:
		return true
	case want == "true":
		return g == "1" || g == `"1"`
	case want == "false":
		return g == "0" || g == `"0"`
	}
	return false
}

// status reads the device's status and checks the commanded data point's value.
func (c *soakClient) status() {
	res, ok := c.call("device_status_get", map[string]any{"device_id": c.device})
	if !ok || c.control == nil || c.control.code == "" {
		return
	}
	st, _ := structured(res)["status"].([]any)
	for _, x := range st {
		if m, _ := x.(map[string]any); m["code"] == c.control.code && !slices.ContainsFunc(c.control.value.possible(), func(want string) bool { return quirkEqual(m["value"], want) }) {
			c.ta.problem("device_status_get %s: %s = %s, want one of %q", c.device, c.control.code, mustJSON(m["value"]), c.control.value.possible())
		}
	}
}

func (c *soakClient) sync() {
	n := c.next()
	nick := fmt.Sprintf("soak nick %d-%d", c.id, n)
	_, ok := c.call("user_sync", map[string]any{
		"country_code": "1", "username": c.username, "username_type": "email",
		"password": fmt.Sprintf("Soak-pw-%d-%d", c.id, n), "nick_name": nick,
	})
	c.nick.write(nick, ok)
}

// soakMix is the workload: operations and their weights.
var soakMix = []struct {
	weight int
	run    func(*soakClient)
}{
	{14, (*soakClient).deviceGet},
	{6, (*soakClient).deviceList},
	{8, (*soakClient).logList},
	{6, (*soakClient).userList},
	{6, (*soakClient).deviceUserList},
	{12, (*soakClient).rename},
	{8, (*soakClient).outletRename},
	{14, (*soakClient).add},
	{10, (*soakClient).edit},
	{8, (*soakClient).remove},
	{8, (*soakClient).sync},
	{8, (*soakClient).command},
	{4, (*soakClient).status},
}

func (c *soakClient) run(calls int) {
	total := 0
	for _, op := range soakMix {
		total += op.weight
	}
	for c.ta.count() < calls {
		w := c.rng.IntN(total)
		for _, op := range soakMix {
			if w < op.weight {
				op.run(c)
				break
			}
			w -= op.weight
		}
	}
}

func (ta *tally) count() int {
	n := 0
	for _, v := range ta.kinds {
		n += v
	}
	return n
}

// verify checks the sandbox's state against what the client's acknowledged and failed writes
// allow.
func (c *soakClient) verify(t *testing.T, sb *sandbox.Server) {
	t.Helper()
	d, ok := sb.Device(c.device)
	if !ok {
		t.Errorf("client %d: device %s is gone", c.id, c.device)
		return
	}
	if !slices.Contains(c.name.possible(), d.Name) {
		t.Errorf("client %d: device %s is named %q, want one of %q (acknowledged renames: %d)", c.id, c.device, d.Name, c.name.possible(), c.name.acked+1)
	}
	if c.outlet != "" {
		got := ""
		for _, o := range sb.OutletNames(sandbox.DemoStripID) {
			if o.Identifier == c.outlet {
				got = o.Name
			}
		}
		if !slices.Contains(c.outletNm.possible(), got) {
			t.Errorf("client %d: outlet %s is named %q, want one of %q", c.id, c.outlet, got, c.outletNm.possible())
		}
	}
	var synced []sandbox.User
	for _, u := range sb.Users(sandbox.DemoSchema) {
		if u.Username == c.username {
			synced = append(synced, u)
		}
	}
	switch {
	case len(synced) > 1:
		t.Errorf("client %d: %d users named %s", c.id, len(synced), c.username)
	case len(synced) == 0 && c.nick.acked >= 0:
		t.Errorf("client %d: user %s was synced (acknowledged) but does not exist", c.id, c.username)
	case len(synced) == 1 && !slices.Contains(c.nick.possible(), synced[0].NickName):
		t.Errorf("client %d: user %s has nick_name %q, want one of %q", c.id, c.username, synced[0].NickName, c.nick.possible())
	}

	byNick := map[string][]sandbox.DeviceUser{}
	for _, u := range sb.DeviceUsers(c.device) {
		if strings.HasPrefix(u.NickName, "soak-") {
			byNick[u.NickName] = append(byNick[u.NickName], u)
		}
	}
	for _, u := range c.users {
		got := byNick[u.nick]
		delete(byNick, u.nick)
		switch {
		case len(got) > 1:
			t.Errorf("client %d: device user %q was created %d times", c.id, u.nick, len(got))
		case u.id == "" || u.deleteAcked:
			if u.deleteAcked && len(got) != 0 {
				t.Errorf("client %d: device user %s (%s) was deleted (acknowledged) but exists", c.id, u.id, u.nick)
			}
		case len(got) == 0:
			if !u.deleteSent {
				t.Errorf("client %d: device user %s (%s) was added (acknowledged) but does not exist", c.id, u.id, u.nick)
			}
		case got[0].UserID != u.id:
			t.Errorf("client %d: device user %q has id %s, the add answered %s", c.id, u.nick, got[0].UserID, u.id)
		case !slices.Contains(u.weight.possible(), strconv.FormatInt(got[0].Weight, 10)):
			t.Errorf("client %d: device user %s weighs %d, want one of %q", c.id, u.id, got[0].Weight, u.weight.possible())
		}
	}
	if len(byNick) > 0 {
		t.Errorf("client %d: device users nobody added: %v", c.id, slices.Sorted(maps.Keys(byNick)))
	}
	if dp := c.control; dp != nil && dp.code != "" {
		if v := statusValue(sb.Sandbox, c.device, dp.code); !slices.Contains(dp.value.possible(), v) {
			t.Errorf("client %d: %s %s = %s, want one of %q (acknowledged commands: %d)", c.id, c.device, dp.code, v, dp.value.possible(), dp.value.acked+1)
		}
	}
}

func TestSoak(t *testing.T) {
	calls := soakCalls(t)
	goBefore, fdBefore := runtime.NumGoroutine(), openFDs()

	st := tooltest.NewStack(t, tooltest.StackOptions{Sandbox: sandbox.Options{Faults: soakFaults}})
	devices := st.Sandbox.Devices()
	if len(devices) < soakClients {
		t.Fatalf("the sandbox has %d devices, the soak needs %d", len(devices), soakClients)
	}
	outlets := []string{"switch_1", "switch_2", "switch_3", "switch_4"}
	// An outlet keeps its demo name when none of its renames lands.
	outletNames := map[string]string{}
	for _, o := range st.Sandbox.OutletNames(sandbox.DemoStripID) {
		outletNames[o.Identifier] = o.Name
	}
	for _, o := range outlets {
		if _, ok := outletNames[o]; !ok {
			t.Fatalf("the demo strip has no outlet %s: %v", o, outletNames)
		}
	}
	schemas := tooltest.OutputSchemas(t, st.Connect(t))
	var done atomic.Int64
	clients := make([]*soakClient, soakClients)
	for i := range clients {
		c := &soakClient{
			schemas: schemas,
			id:      i, mc: st.Dial(t), rng: rand.New(rand.NewPCG(uint64(i), 42)),
			device: devices[i].ID, username: fmt.Sprintf("soak-%d@example.com", i),
			name: newRegister(devices[i].Name), nick: newRegister(""),
			ta: tally{kinds: map[string]int{}}, calls: &done, revoke: st.Sandbox.RevokeTokens, sb: st.Sandbox,
		}
		if i < len(outlets) {
			c.outlet = outlets[i]
			c.outletNm = newRegister(outletNames[c.outlet])
		}
		clients[i] = c
	}

	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range clients {
		share := calls / soakClients
		if i < calls%soakClients {
			share++
		}
		wg.Go(func() { c.run(share) })
	}
	wg.Wait()
	elapsed := time.Since(start)

	kinds := map[string]int{}
	for _, c := range clients {
		for k, v := range c.ta.kinds {
			kinds[k] += v
		}
		for _, p := range c.ta.problems {
			t.Errorf("client %d: %s", c.id, p)
		}
		c.verify(t, st.Sandbox)
	}
	stats := st.Sandbox.Stats()

	for _, c := range clients {
		c.mc.Hangup()
	}
	st.Close()
	goAfter, goOK := settleGoroutines(t, goBefore+goroutineSlack, 5*time.Second)
	if !goOK {
		t.Errorf("goroutines: %d before, %d after closing everything", goBefore, goAfter)
	}
	fdAfter := settleFDs(fdBefore+fdSlack, 5*time.Second)
	if fdBefore >= 0 && fdAfter > fdBefore+fdSlack {
		t.Errorf("file descriptors: %d before, %d after closing everything", fdBefore, fdAfter)
	}

	total := 0
	var errs []string
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		total += kinds[k]
		if k != "ok" {
			errs = append(errs, fmt.Sprintf("%s=%d", k, kinds[k]))
		}
	}
	t.Logf("soak: %d calls by %d clients in %s (%.0f calls/s): ok %d, isError %s; sandbox: %d requests, %d injected 500s, %d dropped, %d rate-limited, %d token grants; goroutines %d -> %d; fds %d -> %d",
		total, soakClients, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), kinds["ok"], strings.Join(errs, " "),
		stats.Requests, stats.InjectedFailures, stats.Dropped, stats.RateLimited, stats.TokenGrants, goBefore, goAfter, fdBefore, fdAfter)
	if total < calls {
		t.Errorf("%d calls made, want %d", total, calls)
	}
	if kinds["ok"] == 0 || stats.InjectedFailures == 0 || stats.TokenGrants < 2 {
		t.Errorf("the soak did not exercise the faults: %d ok, %d injected failures, %d token grants", kinds["ok"], stats.InjectedFailures, stats.TokenGrants)
	}
}
