package catalogs

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
)

// KeyFile is where the manager finds its catalog key: the Swarm secret exos-catalog-key
// that `docker exos manager install` creates and mounts. Credentials of private catalogs
// are sealed with it, so the swarm's stored catalogs hold only ciphertext, and only a
// container given the secret can open them.
const KeyFile = "/run/secrets/exos-catalog-key"

// sealer seals and opens catalog credentials with AES-256-GCM.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("the catalog key must be 32 bytes, not %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

type credentials struct {
	Username string `json:"u"`
	Password string `json:"p"`
}

// seal encrypts creds for catalog name: the name is authenticated with them, so sealed
// credentials copied onto another catalog do not open.
func (s *sealer) seal(name string, creds credentials) (string, error) {
	plain, _ := json.Marshal(creds)
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(name))), nil
}

var errCannotOpen = errors.New("cannot decrypt its credentials: the manager's catalog key is not the one they were sealed with (was the manager reinstalled after `manager uninstall --purge`?); remove the catalog and add it again")

func (s *sealer) open(name, sealed string) (credentials, error) {
	var creds credentials
	raw, err := base64.StdEncoding.DecodeString(sealed)
	n := s.aead.NonceSize()
	if err != nil || len(raw) < n {
		return creds, errCannotOpen
	}
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(name))
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
