package swarm

import (
	"errors"
	"fmt"
)

var (
	// ErrNotFound means something the stack needs does not exist on the swarm: an external
	// network, config or secret, a config or secret a service references, or the stack itself.
	ErrNotFound = errors.New("not found")
	// ErrConflict means an object on the swarm cannot be made to match the stack: a stack
	// network whose driver or options differ, or a name owned by something outside the stack.
	ErrConflict = errors.New("conflict")
	// ErrInUse means a config or secret whose content changed is still used by services.
	// Swarm only lets labels change, so it would have to be removed first. It is a conflict.
	ErrInUse = fmt.Errorf("%w: in use", ErrConflict)
)
