package command

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/cli/cli/streams"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

const testCA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

func readFields(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	assert.NilError(t, err)
	fields := map[string]string{}
	assert.NilError(t, json.Unmarshal(data, &fields))
	return fields
}

// An install-time admin token, its pinned CA, then a login and a logout: the CA never
// moves, the admin token is set aside and comes back.
func TestLoginStoreKeepsCAAndInstallToken(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "exos")
	store := LoginStore{Dir: dir, Swarm: "swarmA"}
	assert.NilError(t, SaveToken(dir, "swarmA", "exos_admin"))
	assert.NilError(t, SaveCA(dir, "swarmA", []byte(testCA)))

	assert.NilError(t, store.Save("exos_session", "alice"))
	st, err := os.Stat(store.Path())
	assert.NilError(t, err)
	assert.Check(t, is.Equal(st.Mode().Perm(), os.FileMode(0o600)))
	assert.Check(t, is.DeepEqual(readFields(t, store.Path()), map[string]string{
		"token": "exos_session", "user": "alice", "swarm": "swarmA", "ca": testCA, "installToken": "exos_admin",
	}))
	saved, err := store.Load()
	assert.NilError(t, err)
	assert.Check(t, is.Equal(saved, SavedLogin{Token: "exos_session", User: "alice"}))
	token, err := LoadToken(dir, "swarmA")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(token, "exos_session"))
	ca, _ := LoadCA(dir, "swarmA")
	assert.Check(t, is.Equal(string(ca), testCA))

	// A second login replaces the session, not the admin token set aside.
	assert.NilError(t, store.Save("exos_session2", "bob"))
	assert.Check(t, is.Equal(readFields(t, store.Path())["installToken"], "exos_admin"))

	restored, err := store.Forget()
	assert.NilError(t, err)
	assert.Check(t, restored)
	assert.Check(t, is.DeepEqual(readFields(t, store.Path()), map[string]string{
		"token": "exos_admin", "swarm": "swarmA", "ca": testCA,
	}))
	token, err = LoadToken(dir, "swarmA")
	assert.NilError(t, err)
	assert.Check(t, is.Equal(token, "exos_admin"))
}

func TestLoginStoreOnANewMachine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "exos")
	store := LoginStore{Dir: dir, Swarm: "swarmA"}
	saved, err := store.Load()
	assert.NilError(t, err)
	assert.Check(t, is.Equal(saved, SavedLogin{}))

	assert.NilError(t, store.Save("exos_session", "alice"))
	dirSt, err := os.Stat(dir)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(dirSt.Mode().Perm(), os.FileMode(0o700)))
	assert.Check(t, is.DeepEqual(readFields(t, store.Path()), map[string]string{"token": "exos_session", "user": "alice", "swarm": "swarmA"}))

	restored, err := store.Forget()
	assert.NilError(t, err)
	assert.Check(t, !restored)
	_, err = os.Stat(store.Path())
	assert.Check(t, os.IsNotExist(err), "nothing left to keep: the file goes")
}

func TestLogoutKeepsThePinnedCA(t *testing.T) {
	dir := t.TempDir()
	store := LoginStore{Dir: dir, Swarm: "swarmA"}
	assert.NilError(t, store.Save("exos_session", "alice"))
	assert.NilError(t, SaveCA(dir, "swarmA", []byte(testCA)))
	_, err := store.Forget()
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(readFields(t, store.Path()), map[string]string{"swarm": "swarmA", "ca": testCA}))
	_, err = LoadToken(dir, "swarmA")
	assert.Check(t, is.ErrorContains(err, "not logged in to the EXOS manager of swarm swarmA: run `docker exos login`"))
}

func TestLoginStoreReplacesAnotherSwarmsFile(t *testing.T) {
	dir := t.TempDir()
	assert.NilError(t, SaveToken(dir, "swarmB", "exos_b"))
	assert.NilError(t, os.Rename(TokenPath(dir, "swarmB"), TokenPath(dir, "swarmA")))
	store := LoginStore{Dir: dir, Swarm: "swarmA"}
	assert.NilError(t, store.Save("exos_session", "alice"))
	assert.Check(t, is.DeepEqual(readFields(t, store.Path()), map[string]string{"token": "exos_session", "user": "alice", "swarm": "swarmA"}),
		"another swarm's admin token is not this swarm's to keep")
}

func TestReadStdinSecrets(t *testing.T) {
	got, err := ReadStdinSecrets(strings.NewReader("p4ss word\r\n"), 1)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(got, []string{"p4ss word"}))

	got, err = ReadStdinSecrets(strings.NewReader("old\r\nnew\n"), 2)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(got, []string{"old", "new"}))

	_, err = ReadStdinSecrets(strings.NewReader("\n"), 1)
	assert.Check(t, is.ErrorContains(err, "--password-stdin read an empty password"))
	_, err = ReadStdinSecrets(strings.NewReader("only-one\n"), 2)
	assert.Check(t, is.ErrorContains(err, "--password-stdin read 1 lines, want 2"))
}

type fakeStreams struct {
	in  *streams.In
	out *streams.Out
}

func (s fakeStreams) In() *streams.In   { return s.in }
func (s fakeStreams) Out() *streams.Out { return s.out }
func (s fakeStreams) Err() *streams.Out { return s.out }

func TestPromptPasswordNeedsATerminal(t *testing.T) {
	var out strings.Builder
	s := fakeStreams{in: streams.NewIn(os.Stdin), out: streams.NewOut(&out)}
	if s.in.IsTerminal() {
		t.Skip("the test's stdin is a terminal")
	}
	_, err := PromptPassword(s, "Password: ")
	assert.Check(t, is.ErrorIs(err, ErrNoTerminal))
	_, err = ReadPassword(s, "Password: ", false)
	assert.Check(t, is.ErrorIs(err, ErrNoTerminal))
	assert.Check(t, is.Equal(out.String(), ""), "no prompt when nothing can be typed")
}
