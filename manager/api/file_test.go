package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

func TestFilesRoundTripTextAndBinary(t *testing.T) {
	for _, data := range [][]byte{[]byte("services:\n  web: {}\n"), {0xff, 0x00, 0xfe, 'k'}, {}} {
		wire, err := json.Marshal(NewFile("f", data))
		if err != nil {
			t.Fatal(err)
		}
		var back File
		if err := json.Unmarshal(wire, &back); err != nil {
			t.Fatal(err)
		}
		got, err := back.Bytes()
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%q came back as %q (%v)", data, got, err)
		}
	}
	if _, err := (File{Name: "x", Content: "%%%", Base64: true}).Bytes(); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad base64: %v, want ErrInvalid", err)
	}
}
