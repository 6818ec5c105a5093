package identity

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/exos-platform/exos/manager/api"
)

// Argon2id parameters: the one place they are set. This is OWASP's second recommended
// set (19 MiB, two passes, one lane), equivalent in strength to its first (46 MiB, one
// pass) and the one that keeps a login well under 100 ms and 64 MiB on a small manager
// node (`make bench`: BenchmarkLogin). Hashes record their parameters, so a change here
// keeps old hashes verifiable; a successful login rehashes with the new ones.
var hashParams = argon2Params{
	Memory:  19 * 1024, // KiB
	Time:    2,
	Threads: 1,
	SaltLen: 16,
	KeyLen:  32,
}

// Limits of login work: at most maxConcurrentHashes argon2id computations at once (each
// takes hashParams.Memory), so a flood of logins costs at most about 76 MiB; an attempt
// waits for a slot at most hashWait, then is refused with 429.
const (
	maxConcurrentHashes = 4
	hashWait            = 5 * time.Second
	// maxStoredMemory bounds what a stored hash may ask for, so a damaged config cannot
	// make a login allocate gigabytes.
	maxStoredMemory = 256 * 1024
	minPassword     = 8
	maxPassword     = 1024
)

type argon2Params struct {
	Memory  uint32
	Time    uint32
	Threads uint8
	SaltLen int
	KeyLen  uint32
}

// hasher computes argon2id hashes, no more than maxConcurrentHashes at once.
type hasher struct {
	params argon2Params
	slots  chan struct{}

	dummyOnce sync.Once
	dummy     string
}

func newHasher(p argon2Params) *hasher {
	return &hasher{params: p, slots: make(chan struct{}, maxConcurrentHashes)}
}

var errBusy = api.Errorf(api.ErrTooManyRequests, "too many logins at once: retry in a few seconds")

func (h *hasher) acquire(ctx context.Context) error {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-t.C:
		return errBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *hasher) release() { <-h.slots }

// hash returns the PHC string of password: $argon2id$v=19$m=..,t=..,p=..$salt$key.
func (h *hasher) hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	return encodeHash(h.params, salt, argon2.IDKey([]byte(password), salt, h.params.Time, h.params.Memory, h.params.Threads, h.params.KeyLen)), nil
}

// verify reports whether password matches encoded, and whether encoded should be redone
// with the current parameters. An empty encoded (no user, or no password) is checked
// against a dummy hash, so that the answer takes as long whether the user exists or not.
func (h *hasher) verify(ctx context.Context, encoded, password string) (ok, stale bool, err error) {
	real := encoded != ""
	if !real {
		encoded = h.dummyHash()
	}
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.release()
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	ok = subtle.ConstantTimeCompare(got, key) == 1 && real
	return ok, ok && p != h.params, nil
}

func (h *hasher) dummyHash() string {
	h.dummyOnce.Do(func() {
		salt := make([]byte, h.params.SaltLen)
		_, _ = rand.Read(salt)
		h.dummy = encodeHash(h.params, salt, make([]byte, h.params.KeyLen))
	})
	return h.dummy
}

func encodeHash(p argon2Params, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

var errBadHash = errors.New("the stored password hash is damaged: set the password again (`docker exos user passwd`)")

func decodeHash(encoded string) (argon2Params, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	var p argon2Params
	var version int
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Memory == 0 || p.Memory > maxStoredMemory || p.Time == 0 || p.Time > 16 || p.Threads == 0 {
		return p, nil, nil, errBadHash
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 {
		return p, nil, nil, errBadHash
	}
	p.SaltLen, p.KeyLen = len(salt), uint32(len(key))
	return p, salt, key, nil
}

// checkPassword refuses passwords too short to resist guessing, and too long to hash
// cheaply. The message never contains the password.
func checkPassword(password string) error {
	if len(password) < minPassword {
		return api.Errorf(api.ErrInvalid, "the password must have at least %d characters", minPassword)
	}
	if len(password) > maxPassword {
		return api.Errorf(api.ErrInvalid, "the password must have at most %d bytes", maxPassword)
	}
	return nil
}
