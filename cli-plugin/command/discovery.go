package command

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/api/types/system"
)

const (
	// ManagerService is the Swarm service the manager runs as (stack exos).
	ManagerService = "exos_manager"
	// ManagerPort is the port the manager listens on inside its container.
	ManagerPort = 7420
)

var (
	// ErrNotSwarmManager means the current Docker endpoint cannot manage a swarm.
	ErrNotSwarmManager = errors.New("this Docker engine is not a swarm manager: run `docker swarm init`, " +
		"or point DOCKER_HOST, -H or --context at a manager of your swarm")
	// ErrNoManager means EXOS is not installed on the swarm.
	ErrNoManager = errors.New("no EXOS manager runs on this swarm: run `docker exos manager install` " +
		"(or give its address with --manager or EXOS_MANAGER)")
)

// EngineClient is what finding the manager needs of the Docker Engine API.
type EngineClient interface {
	Info(ctx context.Context) (system.Info, error)
	ServiceInspectWithRaw(ctx context.Context, serviceID string, options swarm.ServiceInspectOptions) (swarm.Service, []byte, error)
	TaskList(ctx context.Context, options swarm.TaskListOptions) ([]swarm.Task, error)
	NodeInspectWithRaw(ctx context.Context, nodeID string) (swarm.Node, []byte, error)
	// ConfigInspectWithRaw reads the manager's CA (Endpoint.CAConfigID) when none is pinned.
	ConfigInspectWithRaw(ctx context.Context, id string) (swarm.Config, []byte, error)
}

// managerAddress is what the user told us; empty fields are found through the Engine.
type managerAddress struct {
	URL   string
	Token string
	// Anonymous connects without a token (a login), so no saved one is looked for.
	Anonymous bool
	// CAFile verifies the manager instead of the CA pinned for the swarm (EXOS_CA_FILE).
	CAFile string
}

// connect completes addr (URL by discovery, token from the file saved for this swarm) and
// returns a client for it that verifies the manager as dial says. The Engine is asked
// only for what is missing; with a cache, a manager found before is reached at once, and
// found again only when it is no longer there.
func connect(ctx context.Context, engine EngineClient, addr managerAddress, tokenDir string, cache *endpointCache) (*managerClient, error) {
	if addr.URL != "" || cache == nil {
		return discover(ctx, engine, addr, tokenDir, nil)
	}
	hint, ok := cache.load()
	if !ok {
		return discover(ctx, engine, addr, tokenDir, cache)
	}
	m, err := connectAt(ctx, engine, hint, addr, tokenDir)
	if err != nil { // no token or CA for the cached swarm any more: ask the Engine
		return discover(ctx, engine, addr, tokenDir, cache)
	}
	quickDial(m.hc.Transport)
	t := &rediscoveringTransport{base: m.hc.Transport, rediscover: func(ctx context.Context) (*managerClient, error) {
		return discover(ctx, engine, addr, tokenDir, cache)
	}}
	m.hc.Transport, m.moved = t, t.found
	return m, nil
}

// connectAt connects to the manager the cache says answered for swarm hint.Swarm, with
// that swarm's saved token and pinned CA.
func connectAt(ctx context.Context, engine EngineClient, hint cachedEndpoint, addr managerAddress, tokenDir string) (*managerClient, error) {
	if addr.Token == "" && !addr.Anonymous {
		var err error
		if addr.Token, err = LoadToken(tokenDir, hint.Swarm); err != nil {
			return nil, err
		}
	}
	return dial(ctx, engine, hint.Endpoint, addr.Token, caPins{file: addr.CAFile, dir: tokenDir, swarmID: hint.Swarm})
}

// discover asks the Engine what addr lacks and connects; the manager it finds is
// remembered in cache (nil: nowhere).
func discover(ctx context.Context, engine EngineClient, addr managerAddress, tokenDir string, cache *endpointCache) (*managerClient, error) {
	ep := Endpoint{URL: addr.URL}
	swarmID := ""
	if addr.URL == "" || (addr.Token == "" && !addr.Anonymous) {
		var err error
		if swarmID, err = SwarmID(ctx, engine); err != nil {
			return nil, err
		}
		if addr.URL == "" {
			if ep, err = FindEndpoint(ctx, engine); err != nil {
				return nil, err
			}
		}
		if addr.Token == "" && !addr.Anonymous {
			if addr.Token, err = LoadToken(tokenDir, swarmID); err != nil {
				return nil, err
			}
		}
	}
	m, err := dial(ctx, engine, ep, addr.Token, caPins{file: addr.CAFile, dir: tokenDir, swarmID: swarmID})
	if err == nil && cache != nil && addr.URL == "" {
		cache.save(cachedEndpoint{Swarm: swarmID, Endpoint: ep})
	}
	return m, err
}

// SwarmID returns the cluster ID of the swarm the Engine manages, or ErrNotSwarmManager.
func SwarmID(ctx context.Context, engine EngineClient) (string, error) {
	info, err := engine.Info(ctx)
	if err != nil {
		return "", fmt.Errorf("failed to ask the Docker engine about its swarm: %w", err)
	}
	s := info.Swarm
	if s.LocalNodeState != swarm.LocalNodeStateActive || !s.ControlAvailable || s.Cluster == nil {
		return "", ErrNotSwarmManager
	}
	return s.Cluster.ID, nil
}

// FindManager returns the manager's URL, as FindEndpoint finds it.
func FindManager(ctx context.Context, engine EngineClient) (string, error) {
	ep, err := FindEndpoint(ctx, engine)
	return ep.URL, err
}

// FindEndpoint finds the manager: the address of the node its running task is on, the
// port it publishes there (host mode), https:// unless it was installed to serve plain
// HTTP, and how to verify it (endpointOf). ErrNoManager when the service does not exist.
func FindEndpoint(ctx context.Context, engine EngineClient) (Endpoint, error) {
	svc, _, err := engine.ServiceInspectWithRaw(ctx, ManagerService, swarm.ServiceInspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return Endpoint{}, ErrNoManager
	}
	if err != nil {
		return Endpoint{}, fmt.Errorf("failed to inspect service %s: %w", ManagerService, err)
	}
	tasks, err := engine.TaskList(ctx, swarm.TaskListOptions{Filters: filters.NewArgs(
		filters.Arg("service", svc.ID), filters.Arg("desired-state", "running"))})
	if err != nil {
		return Endpoint{}, fmt.Errorf("failed to list the tasks of %s: %w", ManagerService, err)
	}
	for _, t := range tasks {
		if t.Status.State != swarm.TaskStateRunning {
			continue
		}
		node, _, err := engine.NodeInspectWithRaw(ctx, t.NodeID)
		if err != nil {
			return Endpoint{}, fmt.Errorf("failed to inspect node %s of the manager's task: %w", t.NodeID, err)
		}
		host, err := NodeAddr(node)
		if err != nil {
			return Endpoint{}, err
		}
		return endpointOf(svc, net.JoinHostPort(host, strconv.Itoa(int(publishedPort(svc, t))))), nil
	}
	return Endpoint{}, noRunningTask(tasks)
}

func noRunningTask(tasks []swarm.Task) error {
	msg := fmt.Sprintf("the EXOS manager (service %s) has no running task", ManagerService)
	for _, t := range tasks {
		msg += fmt.Sprintf("; task %s is %s", t.ID, t.Status.State)
		if t.Status.Err != "" {
			msg += ": " + t.Status.Err
		}
	}
	return errors.New(msg + ": see `docker service ps " + ManagerService + "`")
}

// publishedPort prefers what the task reports it published; before that is known the
// service spec says what it asked for.
func publishedPort(svc swarm.Service, t swarm.Task) uint32 {
	if t.Status.PortStatus.Ports != nil {
		for _, p := range t.Status.PortStatus.Ports {
			if p.TargetPort == ManagerPort && p.PublishedPort != 0 {
				return p.PublishedPort
			}
		}
	}
	if svc.Spec.EndpointSpec != nil {
		for _, p := range svc.Spec.EndpointSpec.Ports {
			if p.TargetPort == ManagerPort && p.PublishedPort != 0 {
				return p.PublishedPort
			}
		}
	}
	return ManagerPort
}

// NodeAddr is the address other machines reach the node at. Some engines report 0.0.0.0
// for managers; their raft address then says where they listen.
func NodeAddr(node swarm.Node) (string, error) {
	if a := node.Status.Addr; a != "" && a != "0.0.0.0" {
		return a, nil
	}
	if node.ManagerStatus != nil {
		if host, _, err := net.SplitHostPort(node.ManagerStatus.Addr); err == nil && host != "0.0.0.0" {
			return host, nil
		}
	}
	return "", fmt.Errorf("node %s (running the EXOS manager) reports no address: give the manager's URL with --manager", node.Description.Hostname)
}
