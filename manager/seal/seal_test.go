package seal

import (
	"bytes"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestSealOpensOnlyForItsNameAndKey(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	s, err := New(key)
	assert.NilError(t, err)
	sealed, err := s.Seal("ldap", []byte("s3cret"))
	assert.NilError(t, err)
	assert.Check(t, !bytes.Contains([]byte(sealed), []byte("s3cret")))
	plain, err := s.Open("ldap", sealed)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(string(plain), "s3cret"))

	_, err = s.Open("other", sealed)
	assert.Check(t, is.ErrorIs(err, ErrCannotOpen))
	other, _ := New(bytes.Repeat([]byte{8}, 32))
	_, err = other.Open("ldap", sealed)
	assert.Check(t, is.ErrorIs(err, ErrCannotOpen))
	_, err = s.Open("ldap", "not base64!")
	assert.Check(t, is.ErrorIs(err, ErrCannotOpen))
	_, err = New([]byte("short"))
	assert.Check(t, is.ErrorContains(err, "32 bytes"))
}
