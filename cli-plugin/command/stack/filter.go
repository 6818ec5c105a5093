package stack

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
)

// The --filter keys of `docker stack ps` and `docker stack services` that EXOS answers,
// with the Engine's meaning: id and name match a prefix, node an ID, an ID prefix or a
// hostname, service a service's name, desired-state a task state, mode exactly,
// label a key or key=value. The Engine's other task filters (label, runtime) read what
// the manager does not keep.
var (
	taskFilters    = map[string]bool{"id": true, "name": true, "node": true, "service": true, "desired-state": true}
	serviceFilters = map[string]bool{"id": true, "name": true, "label": true, "mode": true}
)

// filterContainers keeps the containers that match every filter key, as the Engine's
// task list filters them.
func filterContainers(args filters.Args, containers []api.Container) ([]api.Container, error) {
	if err := validFilters(args, taskFilters); err != nil {
		return nil, err
	}
	for _, s := range args.Get("desired-state") {
		if !isTaskState(s) {
			return nil, fmt.Errorf("invalid desired-state filter: '%s'", s)
		}
	}
	var out []api.Container
	for _, c := range containers {
		if args.FuzzyMatch("id", c.ID) && args.FuzzyMatch("name", c.Name) &&
			(args.FuzzyMatch("node", c.NodeID) || args.ExactMatch("node", c.Node)) &&
			args.ExactMatch("service", c.Service) &&
			matchesState(args, c.DesiredState) {
			out = append(out, c)
		}
	}
	return out, nil
}

// filterServices keeps the services that match every filter key, as the Engine's
// service list filters them.
func filterServices(args filters.Args, services []api.Service) ([]api.Service, error) {
	if err := validFilters(args, serviceFilters); err != nil {
		return nil, err
	}
	var out []api.Service
	for _, s := range services {
		if args.FuzzyMatch("id", s.ID) && args.FuzzyMatch("name", s.Name) &&
			args.ExactMatch("mode", s.Mode) && args.MatchKVList("label", s.Labels) {
			out = append(out, s)
		}
	}
	return out, nil
}

func validFilters(args filters.Args, accepted map[string]bool) error {
	for _, key := range args.Keys() {
		if !accepted[key] {
			return fmt.Errorf("invalid filter '%s': the filters are %s", key, strings.Join(slices.Sorted(maps.Keys(accepted)), ", "))
		}
	}
	return nil
}

func matchesState(args filters.Args, state string) bool {
	if !args.Contains("desired-state") {
		return true
	}
	for _, s := range args.Get("desired-state") {
		if strings.EqualFold(s, state) {
			return true
		}
	}
	return false
}

// isTaskState says whether s names one of Swarm's task states, as the Engine accepts
// them in a desired-state filter (in any case).
func isTaskState(s string) bool {
	for _, state := range []swarm.TaskState{swarm.TaskStateNew, swarm.TaskStateAllocated, swarm.TaskStatePending,
		swarm.TaskStateAssigned, swarm.TaskStateAccepted, swarm.TaskStatePreparing, swarm.TaskStateReady,
		swarm.TaskStateStarting, swarm.TaskStateRunning, swarm.TaskStateComplete, swarm.TaskStateShutdown,
		swarm.TaskStateFailed, swarm.TaskStateRejected, swarm.TaskStateRemove, swarm.TaskStateOrphaned} {
		if strings.EqualFold(s, string(state)) {
			return true
		}
	}
	return false
}
