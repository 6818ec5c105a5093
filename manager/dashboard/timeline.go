package dashboard

import (
	"slices"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// transition is a node entering a state.
type transition struct {
	Node  string    `json:"node"`
	Host  string    `json:"host"`
	State string    `json:"state"`
	At    time.Time `json:"at"`
}

// nodeState is a node's state now, as Record sees it.
type nodeState struct {
	id, hostname, state string
}

// transitions are the nodes whose state differs from the last one known.
func transitions(last map[string]string, now []nodeState, at time.Time) []transition {
	var out []transition
	for _, n := range now {
		if last[n.id] != n.state {
			out = append(out, transition{Node: n.id, Host: n.hostname, State: n.state, At: at.UTC()})
		}
	}
	return out
}

// timeline is every node's transitions of the retention, in memory: by node for the
// views, and the open segment (and closed ones not yet written) for the store.
type timeline struct {
	byNode  map[string][]transition // oldest first
	open    segment
	closing []segment       // closed, waiting for their last write
	closed  []closedSegment // written, kept until the retention drops them
}

type segment struct {
	number      int
	transitions []transition
	dirty       bool
}

type closedSegment struct {
	number int
	newest time.Time
}

func newTimeline() *timeline {
	return &timeline{byNode: map[string][]transition{}, open: segment{number: 1}}
}

// last is each node's latest state.
func (t *timeline) last() map[string]string {
	out := make(map[string]string, len(t.byNode))
	for id, ts := range t.byNode {
		out[id] = ts[len(ts)-1].State
	}
	return out
}

// add records transitions, closing the open segment when it is full.
func (t *timeline) add(ts []transition) {
	for _, tr := range ts {
		t.byNode[tr.Node] = append(t.byNode[tr.Node], tr)
		t.open.transitions = append(t.open.transitions, tr)
		t.open.dirty = true
		if len(t.open.transitions) >= segmentTransitions {
			t.closing = append(t.closing, t.open)
			t.open = segment{number: t.open.number + 1}
		}
	}
}

// trim forgets, per node, the transitions older than before, keeping the one that says
// what state the node was in at before.
func (t *timeline) trim(before time.Time) {
	for id, ts := range t.byNode {
		i, _ := slices.BinarySearchFunc(ts, before, func(tr transition, at time.Time) int { return tr.At.Compare(at) })
		if i > 1 {
			t.byNode[id] = slices.Clone(ts[i-1:])
		}
	}
}

// view is the timeline of rows from from to now: each node's segments, the first
// starting at from with the state the node was in then (or at its first transition).
func (t *timeline) view(rows []hostRow, from, now time.Time) []api.HostTimeline {
	out := make([]api.HostTimeline, 0, len(rows))
	for _, row := range rows {
		out = append(out, api.HostTimeline{NodeID: row.node.ID, Hostname: row.node.Hostname,
			Segments: segmentsOf(t.byNode[row.node.ID], from, now)})
	}
	return out
}

// segmentsOf cuts a node's transitions (oldest first) into the segments of [from, now].
func segmentsOf(ts []transition, from, now time.Time) []api.HostSegment {
	out := []api.HostSegment{}
	i, _ := slices.BinarySearchFunc(ts, from, func(tr transition, at time.Time) int { return tr.At.Compare(at) })
	if i > 0 {
		i-- // the state the node was in at from
	}
	for ; i < len(ts); i++ {
		if ts[i].At.After(now) {
			break
		}
		start := ts[i].At
		if start.Before(from) {
			start = from
		}
		if n := len(out); n > 0 {
			out[n-1].To = start
		}
		out = append(out, api.HostSegment{State: ts[i].State, From: start})
	}
	return out
}
