package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// StackDiff is what changed between two revisions of a stack, at two levels: the inputs
// (files, variables, images set by set-image) as unified diffs, and the Swarm service
// specs the revisions convert to, field by field. Passwords are never part of it: EXOS
// does not record them.
type StackDiff struct {
	Stack string `json:"stack"`
	From  int    `json:"from"` // 0: nothing (the stack's first revision)
	To    int    `json:"to"`
	// Files holds one unified diff per input that changed, by name.
	Files []FileDiff `json:"files"`
	// Services are the services whose spec changed, by full name.
	Services []ServiceDiff `json:"services"`
	// Notes say what could not be compared, such as a revision that no longer converts.
	Notes []string `json:"notes,omitempty"`
}

// FileDiff is a unified diff of one input of the revisions.
type FileDiff struct {
	Name string `json:"name"`
	Diff string `json:"diff"`
}

// Service spec changes.
const (
	SpecAdded   = "added"
	SpecRemoved = "removed"
	SpecChanged = "changed"
)

// ServiceDiff is how one service's spec changed between the revisions.
type ServiceDiff struct {
	Service string `json:"service"`
	Change  string `json:"change"` // SpecAdded, SpecRemoved or SpecChanged
	// Fields are the spec's fields that differ, as dotted paths of the Engine API's spec
	// ("TaskTemplate.ContainerSpec.Image"), with their values ("" for unset).
	Fields []FieldChange `json:"fields"`
}

// FieldChange is one field of a service spec that differs.
type FieldChange struct {
	Path string `json:"path"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// StackDiff compares revisions from and to of a stack; 0 takes the default: to the
// newest revision, from the one before to.
func (c *Client) StackDiff(ctx context.Context, name string, from, to int) (StackDiff, error) {
	q := url.Values{}
	if from > 0 {
		q.Set("from", strconv.Itoa(from))
	}
	if to > 0 {
		q.Set("to", strconv.Itoa(to))
	}
	var out StackDiff
	_, err := c.do(ctx, http.MethodGet, "/api/v1/stacks/"+escape(name)+"/diff", q, nil, &out)
	return out, err
}
