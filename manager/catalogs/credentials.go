package catalogs

import (
	"encoding/json"
	"errors"
	"net/url"

	"github.com/exos-platform/exos/manager/seal"
)

// KeyFile is where the manager finds its catalog key: the Swarm secret exos-catalog-key
// that `docker exos manager install` creates and mounts. Credentials of private catalogs
// are sealed with it, so the swarm's stored catalogs hold only ciphertext, and only a
// container given the secret can open them.
const KeyFile = "/run/secrets/exos-catalog-key"

// sealer seals and opens catalog credentials with the catalog key (package seal).
type sealer struct{ s *seal.Sealer }

func newSealer(key []byte) (*sealer, error) {
	s, err := seal.New(key)
	if err != nil {
		return nil, err
	}
	return &sealer{s: s}, nil
}

type credentials struct {
	Username string `json:"u"`
	Password string `json:"p"`
}

// seal encrypts creds for catalog name: the name is authenticated with them, so sealed
// credentials copied onto another catalog do not open.
func (s *sealer) seal(name string, creds credentials) (string, error) {
	plain, _ := json.Marshal(creds)
	return s.s.Seal(name, plain)
}

var errCannotOpen = errors.New("cannot decrypt its credentials: the manager's catalog key is not the one they were sealed with (was the manager reinstalled after `manager uninstall --purge`?); remove the catalog and add it again")

func (s *sealer) open(name, sealed string) (credentials, error) {
	var creds credentials
	plain, err := s.s.Open(name, sealed)
	if err != nil || json.Unmarshal(plain, &creds) != nil {
		return creds, errCannotOpen
	}
	return creds, nil
}

// splitUserInfo takes the credentials out of a URL (https://user:pass@host/...), so the
// stored URL never carries them.
func splitUserInfo(raw string) (string, credentials) {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw, credentials{}
	}
	pass, _ := u.User.Password()
	creds := credentials{Username: u.User.Username(), Password: pass}
	u.User = nil
	return u.String(), creds
}
