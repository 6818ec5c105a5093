package swarm

import (
	"context"
	"fmt"
	"strings"
)

// journal records every write an Apply made with the write that undoes it, so that a
// deploy failing half-way can put the swarm back as it was.
type journal struct {
	d     *Deployer
	stack string
	undos []undo
	// lost are writes no undo can reverse, said only if the deploy is undone.
	lost []string
	// created are the IDs of services the deploy created: their tasks must be gone before
	// a network created for them can be removed.
	created []string
}

type undo struct {
	done string // what running it does, said in the past: "removed service web_api"
	run  func(ctx context.Context) error
}

func (j *journal) add(done string, run func(ctx context.Context) error) {
	j.undos = append(j.undos, undo{done: done, run: run})
}

// ApplyError is a deploy that failed and was undone. Err is the write that failed;
// Compensated says what was undone, in the order it was, and Lost what could not be.
type ApplyError struct {
	Err         error
	Compensated []string
	Lost        []string
}

func (e *ApplyError) Error() string {
	msg := e.Err.Error()
	switch {
	case len(e.Lost) > 0:
		msg += "; undoing it failed in part: " + strings.Join(e.Lost, "; ")
	case len(e.Compensated) > 0:
		msg += "; every change it made was undone"
	default:
		msg += "; nothing had been changed"
	}
	return msg
}

func (e *ApplyError) Unwrap() error { return e.Err }

// compensate runs the undos newest first and returns an *ApplyError for cause. It runs
// past failures (each is reported) and outlives the request that started the deploy: a
// client that hangs up must not leave the swarm half-applied.
func (j *journal) compensate(ctx context.Context, cause error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), j.d.undoTimeout)
	defer cancel()
	out := &ApplyError{Err: cause, Lost: append([]string(nil), j.lost...)}
	for i := len(j.undos) - 1; i >= 0; i-- {
		u := j.undos[i]
		if err := u.run(ctx); err != nil {
			out.Lost = append(out.Lost, fmt.Sprintf("not %s: %v", u.done, err))
			continue
		}
		out.Compensated = append(out.Compensated, u.done)
	}
	j.undos = nil
	return out
}
