package api

import (
	"errors"
	"io"
	"net/http"
	"testing"
)

func TestErrorfCarriesItsKindWithoutItsText(t *testing.T) {
	err := Errorf(ErrNotFound, "stack %q does not exist: %w", "shop", io.EOF)
	if got := err.Error(); got != `stack "shop" does not exist: EOF` {
		t.Errorf("message %q", got)
	}
	if !errors.Is(err, ErrNotFound) || !errors.Is(err, io.EOF) {
		t.Errorf("errors.Is lost the kind or the cause: %v", err)
	}
	if StatusOf(err) != http.StatusNotFound {
		t.Errorf("status %d, want 404", StatusOf(err))
	}
}
