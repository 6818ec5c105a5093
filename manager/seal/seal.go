// Package seal encrypts the few secrets EXOS must read back and keeps in Swarm configs
// (credentials of private catalogs, the directory's bind password) with AES-256-GCM under
// the catalog key: the Swarm secret exos-catalog-key that `docker exos manager install`
// creates once and mounts into the manager. A config then holds only ciphertext, and only
// a container given the secret can open it.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// ErrCannotOpen means a sealed value does not open under this key (another key, another
// name, or damaged data).
var ErrCannotOpen = errors.New("cannot decrypt: the value was sealed under another key or for another object")

// Sealer seals and opens values with AES-256-GCM.
type Sealer struct{ aead cipher.AEAD }

// New returns a sealer for a 32-byte key.
func New(key []byte) (*Sealer, error) {
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
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain for the object name: the name is authenticated with it, so a sealed
// value copied onto another object does not open. The result is base64(nonce|ciphertext).
func (s *Sealer) Seal(name string, plain []byte) (string, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(name))), nil
}

// Open decrypts what Seal made for name, or fails with ErrCannotOpen.
func (s *Sealer) Open(name, sealed string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	n := s.aead.NonceSize()
	if err != nil || len(raw) < n {
		return nil, ErrCannotOpen
	}
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(name))
	if err != nil {
		return nil, ErrCannotOpen
	}
	return plain, nil
}
