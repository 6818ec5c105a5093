package stacks

import (
	"errors"
	"fmt"
	"net/http"

	composeext "github.com/exos-platform/exos/compose-ext"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/swarm"
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

// classify gives the deployer's refusals their API meaning: a stack that names objects the
// swarm lacks is a bad request, one that clashes with what the swarm holds is a conflict.
func classify(err error) error {
	switch {
	case errors.Is(err, swarm.ErrConflict):
		return api.Errorf(api.ErrConflict, "%w", err)
	case errors.Is(err, swarm.ErrNotFound):
		return api.Errorf(api.ErrInvalid, "%w", err)
	}
	return err
}
