package stacks

import (
	"errors"
	"fmt"
	"net/http"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
)

// asAPIError turns a composeext validation error into the 400 answer that lists every
// problem with its file, line and key; other errors pass through.
func asAPIError(stack string, err error) error {
	var ve *composeext.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	return Invalid(fmt.Sprintf("stack %s is not valid; nothing was changed", stack), ve.Problems)
}

// Invalid is the 400 answer that lists every problem with its file, line and key.
func Invalid(message string, problems []composeext.Problem) *api.Error {
	out := &api.Error{StatusCode: http.StatusBadRequest, Message: message}
	for _, p := range problems {
		out.Problems = append(out.Problems, api.Problem{File: p.File, Line: p.Line, Key: p.Key, Message: p.Message})
	}
	return out
}
