package command

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// The login file (TokenPath) holds what authenticates this machine with one swarm's
// manager: the token, the user it logs in as, and the pinned CA. `docker exos login`
// replaces the token and the user and keeps every other field.

// Fields of the login file beyond savedToken's.
const (
	// installTokenField keeps the install-time admin token while a login session is
	// saved: on a fresh install it may be the only admin credential there is, so logout
	// goes back to it instead of losing it.
	installTokenField = "installToken"
)

// LoginStore is where the login of one swarm is saved on this machine.
type LoginStore struct {
	Dir   string
	Swarm string
}

// SavedLogin is the login saved for a swarm. User is "" for the install-time admin token.
type SavedLogin struct {
	Token string
	User  string
}

// Path is the login file.
func (s LoginStore) Path() string { return TokenPath(s.Dir, s.Swarm) }

// Load returns the saved login; the zero SavedLogin when there is none.
func (s LoginStore) Load() (SavedLogin, error) {
	fields, err := s.read()
	if err != nil {
		return SavedLogin{}, err
	}
	return SavedLogin{Token: stringField(fields, "token"), User: stringField(fields, "user")}, nil
}

// Save saves a session token of user, readable by the user only.
func (s LoginStore) Save(token, user string) error {
	fields, err := s.read()
	if err != nil {
		return err
	}
	if old := stringField(fields, "token"); old != "" && stringField(fields, "user") == "" {
		setField(fields, installTokenField, old)
	}
	setField(fields, "token", token)
	setField(fields, "user", user)
	setField(fields, "swarm", s.Swarm)
	return s.write(fields)
}

// InstallToken returns the install-time admin token saved for the swarm: kept aside
// while a login session is saved, or the saved token itself when no user logged in.
func (s LoginStore) InstallToken() (string, error) {
	fields, err := s.read()
	if err != nil {
		return "", err
	}
	if install := stringField(fields, installTokenField); install != "" {
		return install, nil
	}
	if stringField(fields, "user") == "" {
		return stringField(fields, "token"), nil
	}
	return "", nil
}

// Forget removes the saved session. When the install-time admin token was kept aside it
// is saved again, and restored says so. The pinned CA stays: logging out does not change
// whom the plugin trusts.
func (s LoginStore) Forget() (restored bool, err error) {
	fields, err := s.read()
	if err != nil || len(fields) == 0 {
		return false, err
	}
	delete(fields, "token")
	delete(fields, "user")
	if install := stringField(fields, installTokenField); install != "" {
		setField(fields, "token", install)
		delete(fields, installTokenField)
		restored = true
	}
	if stringField(fields, "token") == "" && stringField(fields, "ca") == "" {
		return false, RemoveToken(s.Dir, s.Swarm)
	}
	return restored, s.write(fields)
}

// read returns the login file's fields, none when there is no file or when it belongs
// to another swarm (it is then replaced whole).
func (s LoginStore) read() (map[string]json.RawMessage, error) {
	fields := map[string]json.RawMessage{}
	data, err := os.ReadFile(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return fields, nil
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read the EXOS login file: %w", err)
	}
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, fmt.Errorf("the EXOS login file %s is damaged (%w): remove it and run `docker exos login` again", s.Path(), err)
	}
	if stringField(fields, "swarm") != s.Swarm {
		return map[string]json.RawMessage{}, nil
	}
	return fields, nil
}

func (s LoginStore) write(fields map[string]json.RawMessage) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("failed to create %s: %w", s.Dir, err)
	}
	data, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	return writePrivate(s.Dir, s.Path(), data)
}

func stringField(fields map[string]json.RawMessage, name string) string {
	var v string
	_ = json.Unmarshal(fields[name], &v)
	return v
}

func setField(fields map[string]json.RawMessage, name, value string) {
	fields[name], _ = json.Marshal(value)
}

// LoginStore says where the login of the swarm the Docker endpoint manages is saved.
func (c *exosCli) LoginStore(ctx context.Context) (LoginStore, error) {
	swarmID, err := SwarmID(ctx, c.Client())
	if err != nil {
		return LoginStore{}, err
	}
	return LoginStore{Dir: TokenDir(), Swarm: swarmID}, nil
}

// ManagerAs returns a client for the manager, found as Manager finds it, that sends token
// instead of the saved one ("" for none, as a login does).
func (c *exosCli) ManagerAs(ctx context.Context, token string) (ManagerClient, error) {
	m, err := c.dialManager(ctx, managerAddress{URL: c.managerURL(), Token: token, Anonymous: token == ""})
	if err != nil {
		return nil, err
	}
	return m, nil
}
