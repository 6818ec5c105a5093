package command

import (
	"context"

	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/api/types/system"
)

// lazyEngine builds the Docker CLI's Engine client on its first call: building it pings
// the Engine, which a command that reaches the manager at a remembered address does not
// need at all.
type lazyEngine struct{ cli *exosCli }

func (l lazyEngine) Info(ctx context.Context) (system.Info, error) { return l.cli.Client().Info(ctx) }

func (l lazyEngine) ServiceInspectWithRaw(ctx context.Context, id string, o swarm.ServiceInspectOptions) (swarm.Service, []byte, error) {
	return l.cli.Client().ServiceInspectWithRaw(ctx, id, o)
}

func (l lazyEngine) TaskList(ctx context.Context, o swarm.TaskListOptions) ([]swarm.Task, error) {
	return l.cli.Client().TaskList(ctx, o)
}

func (l lazyEngine) NodeInspectWithRaw(ctx context.Context, id string) (swarm.Node, []byte, error) {
	return l.cli.Client().NodeInspectWithRaw(ctx, id)
}

func (l lazyEngine) ConfigInspectWithRaw(ctx context.Context, id string) (swarm.Config, []byte, error) {
	return l.cli.Client().ConfigInspectWithRaw(ctx, id)
}
