package login

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// fakeManager is a manager's login and logout routes over HTTP: what the plugin sends
// there is what the real client sends.
type fakeManager struct {
	logins  []api.LoginRequest
	logouts []string // the Authorization headers of logout calls
	status  int      // answer to logins with this status when set
}

func (f *fakeManager) start(t *testing.T) *api.Client {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/login", func(w http.ResponseWriter, r *http.Request) {
		var req api.LoginRequest
		assert.Check(t, json.NewDecoder(r.Body).Decode(&req))
		assert.Check(t, is.Equal(r.Header.Get("Authorization"), ""), "a login sends no token")
		f.logins = append(f.logins, req)
		if f.status != 0 {
			w.WriteHeader(f.status)
			_, _ = w.Write([]byte(`{"error":"wrong user name or password"}`))
			return
		}
		_ = json.NewEncoder(w).Encode(api.Session{Token: "exos_session_1", User: req.Username,
			ExpiresAt: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)})
	})
	mux.HandleFunc("POST /api/v1/logout", func(w http.ResponseWriter, r *http.Request) {
		f.logouts = append(f.logouts, r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusNoContent)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return api.NewClient(srv.URL, "", srv.Client())
}

func newStore(t *testing.T) command.LoginStore {
	return command.LoginStore{Dir: filepath.Join(t.TempDir(), "exos"), Swarm: "swarm1"}
}

func TestLoginWithPasswordStdin(t *testing.T) {
	fake := &fakeManager{}
	cli := test.NewFakeCli(fake.start(t), nil)
	store := newStore(t)
	cli.SetLoginStore(store)
	cli.SetIn("s3cret pass\n")
	cmd := NewLoginCommand(cli)
	cmd.SetArgs([]string{"--username", "alice", "--password-stdin"})
	assert.NilError(t, cmd.Execute())

	assert.Check(t, is.DeepEqual(fake.logins, []api.LoginRequest{{Username: "alice", Password: "s3cret pass"}}))
	assert.Check(t, is.DeepEqual(cli.ManagerAsTokens(), []string{""}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(),
		"Login Succeeded: alice, session saved in "+store.Path()+", valid until 2026-03-02T12:00:00Z\n"))

	st, err := os.Stat(store.Path())
	assert.NilError(t, err)
	assert.Check(t, is.Equal(st.Mode().Perm(), os.FileMode(0o600)))
	data, err := os.ReadFile(store.Path())
	assert.NilError(t, err)
	assert.Check(t, !strings.Contains(string(data), "s3cret"), "the password is never saved: %s", data)
	assert.Check(t, !strings.Contains(cli.OutBuffer().String()+cli.ErrBuffer().String(), "s3cret"))
	saved, err := store.Load()
	assert.NilError(t, err)
	assert.Check(t, is.Equal(saved, command.SavedLogin{Token: "exos_session_1", User: "alice"}))
}

func TestLoginRefused(t *testing.T) {
	fake := &fakeManager{status: http.StatusUnauthorized}
	cli := test.NewFakeCli(fake.start(t), nil)
	store := newStore(t)
	assert.NilError(t, command.SaveToken(store.Dir, store.Swarm, "exos_admin"))
	cli.SetLoginStore(store)
	cli.SetIn("wrong\n")
	cmd := NewLoginCommand(cli)
	cmd.SetArgs([]string{"-u", "alice", "--password-stdin"})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	assert.Check(t, is.Error(err, "failed to log in as alice: wrong user name or password (check the user name and password; a disabled user cannot log in)"))
	assert.Check(t, !strings.Contains(err.Error(), "wrong\n"))
	token, err := command.LoadToken(store.Dir, store.Swarm)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(token, "exos_admin"), "a failed login leaves the saved token alone")
}

func TestLoginNeedsAUserNameAndAPassword(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{args: []string{"--password-stdin"}, want: "--password-stdin needs --username"},
		{args: []string{}, want: "cannot ask for the user name: standard input is not a terminal; give --username"},
		{args: []string{"-u", "alice"}, want: "cannot ask for the password: standard input is not a terminal; pipe it in with --password-stdin"},
	} {
		fake := &fakeManager{}
		cli := test.NewFakeCli(fake.start(t), nil)
		cli.SetLoginStore(newStore(t))
		cmd := NewLoginCommand(cli)
		cmd.SetArgs(append([]string{}, tc.args...))
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		assert.Check(t, is.ErrorContains(cmd.Execute(), tc.want), "%v", tc.args)
		assert.Check(t, is.Len(fake.logins, 0))
	}
}

func TestLogoutEndsTheSessionAndRestoresTheAdminToken(t *testing.T) {
	fake := &fakeManager{}
	cli := test.NewFakeCli(fake.start(t), nil)
	store := newStore(t)
	assert.NilError(t, command.SaveToken(store.Dir, store.Swarm, "exos_admin"))
	assert.NilError(t, store.Save("exos_session_1", "alice"))
	cli.SetLoginStore(store)
	cmd := NewLogoutCommand(cli)
	cmd.SetArgs([]string{})
	assert.NilError(t, cmd.Execute())

	assert.Check(t, is.DeepEqual(fake.logouts, []string{"Bearer exos_session_1"}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(),
		"Logged out alice\nThe install-time admin token in "+store.Path()+" is used again\n"))
	token, err := command.LoadToken(store.Dir, store.Swarm)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(token, "exos_admin"))
}

func TestLogoutKeepsTheInstallToken(t *testing.T) {
	fake := &fakeManager{}
	cli := test.NewFakeCli(fake.start(t), nil)
	store := newStore(t)
	assert.NilError(t, command.SaveToken(store.Dir, store.Swarm, "exos_admin"))
	cli.SetLoginStore(store)
	cmd := NewLogoutCommand(cli)
	cmd.SetArgs([]string{})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Len(fake.logouts, 0))
	assert.Check(t, is.Contains(cli.OutBuffer().String(), "holds the install-time admin token, which logout keeps"))
	token, err := command.LoadToken(store.Dir, store.Swarm)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(token, "exos_admin"))
}

func TestLogoutWithoutTheManager(t *testing.T) {
	cli := test.NewFakeCli(&test.FakeManager{}, nil)
	cli.SetManagerErr(errors.New("no EXOS manager runs on this swarm"))
	store := newStore(t)
	assert.NilError(t, store.Save("exos_session_1", "alice"))
	cli.SetLoginStore(store)
	cmd := NewLogoutCommand(cli)
	cmd.SetArgs([]string{})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Contains(cli.ErrBuffer().String(), "WARNING: the manager did not end the session (no EXOS manager runs on this swarm)"))
	_, err := os.Stat(store.Path())
	assert.Check(t, os.IsNotExist(err), "the session is forgotten all the same")

	cli = test.NewFakeCli(&test.FakeManager{}, nil)
	cli.SetLoginStore(store)
	cmd = NewLogoutCommand(cli)
	cmd.SetArgs([]string{})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "Not logged in to swarm swarm1\n"))
}

// tlsManager is a manager reached over TLS, verified with the swarm's CA.
type tlsManager struct {
	*test.FakeManager
}

func (tlsManager) Transport() command.Transport {
	return command.Transport{TLS: true, CA: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}
}

func TestFirstLoginPinsTheCA(t *testing.T) {
	cli := test.NewFakeCli(tlsManager{&test.FakeManager{FakeIdentity: test.FakeIdentity{
		LoginFunc: func(context.Context, api.LoginRequest) (api.Session, error) {
			return api.Session{Token: "exos_session_1", User: "alice"}, nil
		},
	}}}, nil)
	store := newStore(t)
	cli.SetLoginStore(store)
	cli.SetIn("pw")
	cmd := NewLoginCommand(cli)
	cmd.SetArgs([]string{"-u", "alice", "--password-stdin"})
	assert.NilError(t, cmd.Execute())
	ca, _ := command.LoadCA(store.Dir, store.Swarm)
	assert.Check(t, is.Equal(string(ca), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
	token, err := command.LoadToken(store.Dir, store.Swarm)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(token, "exos_session_1"))
}
