package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/docker/docker/client"
	"github.com/exos-platform/exos/manager/agent"
	"github.com/exos-platform/exos/manager/api"
	"github.com/spf13/cobra"
)

type agentOptions struct {
	manager     string
	caFile      string
	serverName  string
	keyFile     string
	hostRoot    string
	interval    time.Duration
	volumeEvery time.Duration
}

// newAgentCommand is exos_agent: the same binary and image as the manager, run by Swarm
// on every node.
func newAgentCommand() *cobra.Command {
	opts := agentOptions{}
	cmd := &cobra.Command{
		Use:   "agent",
		Short: "Report this node's containers, load and volumes to the manager (the service exos_agent)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAgent(cmd.Context(), opts)
		},
	}
	flags := cmd.Flags()
	flags.StringVar(&opts.manager, "manager", fmt.Sprintf("https://%s:7420", api.AgentServerName), "The manager's URL on the agent network")
	// install mounts the CA there (command.CAPath) and passes it all the same
	flags.StringVar(&opts.caFile, "ca-file", "/etc/exos/tls-ca.pem", "CA the manager's certificate must come from")
	flags.StringVar(&opts.serverName, "server-name", api.AgentServerName, "Name the manager's certificate is checked against")
	flags.StringVar(&opts.keyFile, "key-file", agentKeyFile, "The agent key (the Swarm secret exos-agent-key)")
	flags.StringVar(&opts.hostRoot, "host-root", "/host", "Where the node's / is mounted (read-only): its proc, cgroups and the Engine's data root are read there")
	flags.DurationVar(&opts.interval, "interval", api.AgentInterval, "How often to report")
	flags.DurationVar(&opts.volumeEvery, "volume-interval", time.Minute, "How often to measure the volumes' sizes again")
	return cmd
}

// agentKeyFile is where Swarm mounts the agent key, in the agent and in the manager.
const agentKeyFile = "/run/secrets/exos-agent-key"

func runAgent(ctx context.Context, opts agentOptions) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	key, err := os.ReadFile(opts.keyFile)
	if err != nil {
		return fmt.Errorf("failed to read the agent key: %w", err)
	}
	var caPEM []byte
	if strings.HasPrefix(opts.manager, "https://") {
		if caPEM, err = os.ReadFile(opts.caFile); err != nil {
			return fmt.Errorf("failed to read the manager's CA: %w", err)
		}
	}
	sender, err := agent.NewSender(agent.SenderConfig{URL: opts.manager, Key: string(bytes.TrimSpace(key)), CAPEM: caPEM, ServerName: opts.serverName})
	if err != nil {
		return err
	}
	engine, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return fmt.Errorf("failed to create the Docker client: %w", err)
	}
	a := agent.New(agent.Config{Engine: engine, HostRoot: opts.hostRoot, Now: time.Now, VolumeEvery: opts.volumeEvery, Log: log})
	dropBinaryPages()
	log.Info("reporting", "manager", opts.manager, "every", opts.interval, "cgroup", a.CgroupVersion(), "version", Version)
	go forwardEvents(ctx, engine, sender, a, opts.interval, log)
	agent.Run(ctx, a, sender, opts.interval, log)
	return nil
}

// forwardEvents sends the node's task container events to the manager once the node is
// known: reports say what runs every interval, events say what changed at once.
func forwardEvents(ctx context.Context, engine *client.Client, sender *agent.Sender, a *agent.Agent, every time.Duration, log *slog.Logger) {
	nodeID, err := agent.SwarmNodeID(ctx, engine, every)
	if err != nil {
		return
	}
	f := &agent.Forwarder{Engine: engine, Sender: sender, NodeID: nodeID, Log: log, Window: 20 * time.Millisecond, MaxBatch: 500,
		Changed: a.FollowChanges}
	f.Run(ctx)
}
