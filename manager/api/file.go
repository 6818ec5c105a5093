package api

import (
	"encoding/base64"
	"unicode/utf8"
)

// NewFile wraps data for the wire: text as it is, anything else (a binary secret, say)
// base64-encoded, since JSON strings carry only UTF-8.
func NewFile(name string, data []byte) File {
	if utf8.Valid(data) {
		return File{Name: name, Content: string(data)}
	}
	return File{Name: name, Content: base64.StdEncoding.EncodeToString(data), Base64: true}
}

// Bytes returns the file's content, decoded.
func (f File) Bytes() ([]byte, error) {
	if !f.Base64 {
		return []byte(f.Content), nil
	}
	data, err := base64.StdEncoding.DecodeString(f.Content)
	if err != nil {
		return nil, Errorf(ErrInvalid, "file %s is marked base64 but is not: %v", f.Name, err)
	}
	return data, nil
}
