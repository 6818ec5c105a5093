// Package dashboard computes EXOS's bird's-eye view: counters, the environments and hosts
// needing attention and why (a score from the weights table in weights.go, documented in
// docs/dashboard.md), the busiest containers with 15 minutes of history, each node's
// status timeline and each user's pins, all scoped to what the caller may see.
//
// Its inputs are the index (package state), the agents' reports (Ingest), the registries
// and the clock. What the index says is summed once per change of the index (model.go),
// what a report says once per report (samples.go), so that a request only filters and
// ranks. Container histories live in fixed-size rings (ring.go): memory is bounded by
// the number of containers, which are dropped 15 minutes after their last sample. The
// timeline and the pins are kept in the swarm through package persist, the timeline in
// segments written in batches (timeline_store.go).
package dashboard
