// Package agent is exos_agent, the manager binary's other mode: a global Swarm service
// that reads, on its node, the containers of Swarm tasks, the node's load and its
// volumes, and posts them to the manager every api.AgentInterval. It is built to be cheap:
// an Engine container list only when its events say the containers changed (at 200
// containers a list costs dockerd about 10 ms of CPU), cgroup files instead of the
// Engine's /stats, container inspects only for containers it has not seen, no goroutine
// per container.
package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/system"
	"github.com/docker/docker/api/types/volume"
	"github.com/exos-platform/exos/manager/api"
)

// Engine is what the agent needs of its node's Engine API; *client.Client implements it.
type Engine interface {
	Info(ctx context.Context) (system.Info, error)
	ContainerList(ctx context.Context, options container.ListOptions) ([]container.Summary, error)
	ContainerInspect(ctx context.Context, id string) (container.InspectResponse, error)
	ContainerStatsOneShot(ctx context.Context, id string) (container.StatsResponseReader, error)
	VolumeList(ctx context.Context, options volume.ListOptions) (volume.ListResponse, error)
}

// Config wires an Agent.
type Config struct {
	Engine Engine
	// HostRoot is where the node's / is mounted ("/" when the agent runs on the node
	// itself): its proc, sys/fs/cgroup and the Engine's data root are read under it.
	HostRoot string
	Now      func() time.Time
	// VolumeEvery is how often volume sizes are measured again: walking a volume costs
	// far more than the rest of a report, and its size changes slowly.
	VolumeEvery time.Duration
	Log         *slog.Logger
}

// Agent builds its node's reports. It is not safe for concurrent use: one loop calls it.
type Agent struct {
	engine   Engine
	hostRoot string
	now      func() time.Time
	cgroups  *cgroupFS
	node     system.Info // NodeID, data root and CPUs, read once
	seen     map[string]*seen
	listed   listedContainers
	volumes  volumeSizes
	log      *slog.Logger
	nodeErr  string // the last failure to read the node, logged once
}

// seen is what the agent keeps of a container between reports.
type seen struct {
	restarts int // from the one inspect
	// viaEngine: the container's cgroup was not found; its counters come from one-shot stats.
	viaEngine bool
	cpu       cpuMark
}

// New returns an Agent reading through c.
func New(c Config) *Agent {
	return &Agent{
		engine: c.Engine, hostRoot: c.HostRoot, now: c.Now,
		cgroups: newCgroupFS(c.HostRoot + "/sys/fs/cgroup"),
		seen:    map[string]*seen{},
		volumes: volumeSizes{every: c.VolumeEvery},
		log:     c.Log,
	}
}

// CgroupVersion is the cgroup layout the agent detected, for its start-up log.
func (a *Agent) CgroupVersion() string { return a.cgroups.version() }

// errNotInSwarm: a report names its Swarm node; an Engine outside a swarm has none.
var errNotInSwarm = errors.New("the local Docker engine is not part of a swarm")

// Report reads the node now.
func (a *Agent) Report(ctx context.Context) (api.AgentReport, error) {
	if a.node.Swarm.NodeID == "" {
		info, err := a.engine.Info(ctx)
		if err != nil {
			return api.AgentReport{}, fmt.Errorf("failed to reach the local Docker engine: %w", err)
		}
		if info.Swarm.NodeID == "" {
			return api.AgentReport{}, errNotInSwarm
		}
		a.node = info
	}
	containers, err := a.containers(ctx)
	if err != nil {
		return api.AgentReport{}, err
	}
	// The containers matter more than the node's numbers: without the node's files (no
	// /host mount, say) the report goes with what could be read.
	node, err := readNode(a.hostRoot, a.node.DockerRootDir, a.node.NCPU)
	a.noteNodeError(err)
	samples, mounts := a.sample(ctx, containers)
	return api.AgentReport{
		NodeID: a.node.Swarm.NodeID, Time: a.now().UTC(), Node: node,
		Containers: samples, Volumes: a.volumeSamples(ctx, mounts),
	}, nil
}

// noteNodeError logs a failure to read the node's files when it differs from the last.
func (a *Agent) noteNodeError(err error) {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	if msg != "" && msg != a.nodeErr {
		a.log.Warn("cannot read the node's load, memory or disk; reporting without them", "err", err)
	}
	a.nodeErr = msg
}
