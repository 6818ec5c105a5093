// Package scaler turns Alertmanager webhooks delivered to receiver hooks into service
// scaling that never over-scales.
//
// The decision (Decide) is a pure function of the policy, the service's desired replicas,
// what EXOS remembers about the service (Memory) and the clock, so it is table-tested.
// Around it, Scaler authenticates deliveries to scale hooks (package hooks keeps them), parses payloads, serializes each service with the
// stack deploys, applies steps as versioned updates and records every decision.
//
// The last applied step of each direction is written onto the service itself, as a label
// set in the same update that changes the replicas: the step and its record cannot be
// separated by a crash, so after a restart no step is repeated and none is forgotten, and
// cooldowns are measured from EXOS's own steps, never from an unrelated deploy.
package scaler
