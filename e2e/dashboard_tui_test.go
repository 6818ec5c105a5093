//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/poll"
)

// TestDashboardWatchShowsANodeGoingDown runs the real `docker exos dashboard --watch` in
// a pseudo-terminal against a real manager on a 3-node swarm, kills node3, and checks
// what the view draws once Swarm has marked it down: the counters count it down, the
// timeline shows it down, and it is in the list of hosts needing attention.
func TestDashboardWatchShowsANodeGoingDown(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 3})
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		d, err := e.api.Dashboard(context.Background(), api.DashboardQuery{})
		if err != nil || d.Counters.Hosts.Total < 3 || d.Counters.Hosts.Down > 0 {
			return poll.Continue("the dashboard does not show 3 hosts up yet: %v %+v", err, d.Counters.Hosts)
		}
		return poll.Success()
	}, poll.WithTimeout(90*time.Second), poll.WithDelay(500*time.Millisecond))

	screen := startScreen(t, e, "dashboard", "--watch")
	screen.waitFor(t, 0, regexp.MustCompile(`^node3\s+(ready|agent silent)\b`), time.Minute) // drawn, up

	mark := screen.mark()
	e.sw.KillNode(t, 3)
	// Swarm takes 11-15 s to mark a dead node down; the deadline is generous.
	for _, want := range []string{
		`Hosts 3: \d ready, 1 down\b`, // the counters
		`^node3\s+down\b`,             // the timeline
		`\b[1-5] node3\s+[0-9.]+ \S`,  // an entry of the hosts needing attention
	} {
		screen.waitFor(t, mark, regexp.MustCompile(want), 2*time.Minute)
	}
	screen.quit(t)
}

// screen is a command running in a pseudo-terminal, with everything it drew.
type screen struct {
	tty  *os.File
	cmd  *exec.Cmd
	done chan error

	mu  sync.Mutex
	out bytes.Buffer
}

func startScreen(t *testing.T, e *exos, args ...string) *screen {
	t.Helper()
	cmd := exec.Command("docker", append([]string{"exos"}, args...)...)
	cmd.Env = append(e.env(1), "TERM=xterm-256color")
	return startCommandScreen(t, cmd)
}

// startCommandScreen starts cmd in a pseudo-terminal of 140×50.
func startCommandScreen(t *testing.T, cmd *exec.Cmd) *screen {
	t.Helper()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 140})
	assert.NilError(t, err)
	s := &screen{tty: tty, cmd: cmd, done: make(chan error, 1)}
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := tty.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				break
			}
			answerQueries(tty, buf[:n])
		}
		s.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = tty.Close()
	})
	return s
}

// answerQueries answers what the program asks the terminal, as a terminal would: bubbletea v1
// asks for the background colour and the cursor position as it starts, and waits 5 s for
// an answer that does not come.
func answerQueries(tty *os.File, drawn []byte) {
	if bytes.Contains(drawn, []byte("\x1b]11;?")) {
		_, _ = tty.Write([]byte("\x1b]11;rgb:0000/0000/0000\x1b\\"))
	}
	if bytes.Contains(drawn, []byte("\x1b[6n")) {
		_, _ = tty.Write([]byte("\x1b[1;1R"))
	}
}

// mark is where what the command draws from now on starts.
func (s *screen) mark() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.Len()
}

// waitFor waits until a line drawn after mark matches re.
func (s *screen) waitFor(t *testing.T, mark int, re *regexp.Regexp, timeout time.Duration) {
	t.Helper()
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		s.mu.Lock()
		lines := screenLines(s.out.Bytes()[mark:])
		s.mu.Unlock()
		for _, l := range lines {
			if re.MatchString(l) {
				return poll.Success()
			}
		}
		return poll.Continue("no line drawn matches %s; the last ones:\n%s", re, strings.Join(lines[max(0, len(lines)-60):], "\n"))
	}, poll.WithTimeout(timeout), poll.WithDelay(200*time.Millisecond))
}

// quit presses q and checks that the command ends well.
func (s *screen) quit(t *testing.T) {
	t.Helper()
	_, err := s.tty.Write([]byte("q"))
	assert.NilError(t, err)
	select {
	case err := <-s.done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			s.mu.Lock()
			defer s.mu.Unlock()
			t.Fatalf("docker exos dashboard --watch exited with %v:\n%s", err, strings.Join(screenLines(s.out.Bytes()), "\n"))
		}
	case <-time.After(30 * time.Second):
		t.Fatal("docker exos dashboard --watch did not quit on q")
	}
}

var (
	sgr     = regexp.MustCompile(`\x1b\[[0-9;:]*m`)
	control = regexp.MustCompile(`\x1b\[[0-9;?:<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEMc]|[\r\n]`)
)

// screenLines cuts what a terminal program wrote into the lines it drew, without
// emulating a terminal: bubbletea rewrites each changed line whole, so colours are
// dropped and every other control sequence (cursor moves, erasing) ends a line.
func screenLines(out []byte) []string {
	text := control.ReplaceAllString(sgr.ReplaceAllString(string(out), ""), "\n")
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimRight(l, " "); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

func TestScreenLines(t *testing.T) {
	out := "\x1b[?1049h\x1b[H\x1b[1mEXOS dashboard\x1b[0m updated\r\n\x1b[2Knode3        \x1b[1;31mdown  \x1b[0m \x1b[32m██\x1b[0m\x1b[K\x1b[1B\x1b]0;title\x07x"
	assert.Check(t, is.DeepEqual(screenLines([]byte(out)), []string{"EXOS dashboard updated", "node3        down   ██", "x"}))
}
