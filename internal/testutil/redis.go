package testutil

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Redis is a real redis-server started for one test on a free loopback port, with no
// persistence, stopped at the test's end.
type Redis struct {
	t    testing.TB
	Port int
	args []string
	cmd  *exec.Cmd
}

// StartRedis starts redis-server (Debian's package) with the extra arguments, such as
// "--requirepass", "pw". Without one the test is skipped, or fails under CI=true, where a
// missing server must not pass silently.
func StartRedis(t testing.TB, args ...string) *Redis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server is not installed (apt-get install redis-server); CI=true requires it")
		}
		t.Skip("redis-server is not installed (apt-get install redis-server)")
	}
	r := &Redis{t: t, Port: freePort(t), args: args}
	r.Start()
	t.Cleanup(r.Stop)
	return r
}

// URL is the redis:// URL of database 0.
func (r *Redis) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.Port) }

// URLWithPassword is URL with the default user's password.
func (r *Redis) URLWithPassword(pw string) string {
	return fmt.Sprintf("redis://default:%s@127.0.0.1:%d/0", pw, r.Port)
}

// Start starts the server on its port (again, after Stop) and waits until it answers.
func (r *Redis) Start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", append([]string{"--port", strconv.Itoa(r.Port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--protected-mode", "no", "--loglevel", "warning"}, r.args...)...)
	if err := r.cmd.Start(); err != nil {
		r.t.Fatalf("start redis-server: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if r.ping() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.Stop()
	r.t.Fatal("redis-server did not answer PING within 10s")
}

// Stop kills the server, as a crash would, and waits for it to exit.
func (r *Redis) Stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	r.cmd.Process.Kill()
	r.cmd.Wait()
	r.cmd = nil
}

// Do sends one command and returns its reply's first line, or a bulk string's value.
func (r *Redis) Do(args ...string) (string, error) {
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", r.Port), time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := c.Write([]byte(b.String())); err != nil {
		return "", err
	}
	rd := bufio.NewReader(c)
	line, err := rd.ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if err == nil && strings.HasPrefix(line, "$") && line != "$-1" {
		// A bulk string: its value is on the next line.
		line, err = rd.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
	}
	return line, err
}

// ping reports whether the server answers, a refusal for want of a password included.
func (r *Redis) ping() bool {
	s, err := r.Do("PING")
	return err == nil && (s == "+PONG" || strings.HasPrefix(s, "-NOAUTH"))
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
