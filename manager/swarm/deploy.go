// Package swarm applies converted stacks to a Docker Swarm through the Engine API, the way
// `docker stack deploy --prune` and `docker stack rm` do, and labels what it deploys with
// the EXOS revision.
package swarm

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"

	composeext "github.com/exos-platform/exos/compose-ext"
)

const (
	// LabelNamespace is docker stack's label; every object of a stack carries it.
	LabelNamespace = "com.docker.stack.namespace"
	// LabelImage is docker stack's label holding the image as written in the compose file.
	LabelImage = "com.docker.stack.image"
	// LabelRevision is the EXOS revision a service was last deployed with.
	LabelRevision = "io.exos.stack.revision"
)

// What Apply did to a service.
const (
	ActionCreated   = "created"
	ActionUpdated   = "updated"
	ActionRemoved   = "removed"
	ActionUnchanged = "unchanged"
)

// EngineAPI is the part of the Engine API the deployer uses; *client.Client satisfies it.
type EngineAPI interface {
	ServiceCreate(ctx context.Context, spec swarm.ServiceSpec, options swarm.ServiceCreateOptions) (swarm.ServiceCreateResponse, error)
	ServiceInspectWithRaw(ctx context.Context, serviceID string, options swarm.ServiceInspectOptions) (swarm.Service, []byte, error)
	ServiceList(ctx context.Context, options swarm.ServiceListOptions) ([]swarm.Service, error)
	ServiceRemove(ctx context.Context, serviceID string) error
	ServiceUpdate(ctx context.Context, serviceID string, version swarm.Version, spec swarm.ServiceSpec, options swarm.ServiceUpdateOptions) (swarm.ServiceUpdateResponse, error)
	TaskList(ctx context.Context, options swarm.TaskListOptions) ([]swarm.Task, error)
	NetworkCreate(ctx context.Context, name string, options network.CreateOptions) (network.CreateResponse, error)
	NetworkList(ctx context.Context, options network.ListOptions) ([]network.Summary, error)
	NetworkRemove(ctx context.Context, networkID string) error
	ConfigCreate(ctx context.Context, spec swarm.ConfigSpec) (swarm.ConfigCreateResponse, error)
	ConfigList(ctx context.Context, options swarm.ConfigListOptions) ([]swarm.Config, error)
	ConfigRemove(ctx context.Context, id string) error
	ConfigUpdate(ctx context.Context, id string, version swarm.Version, spec swarm.ConfigSpec) error
	SecretCreate(ctx context.Context, spec swarm.SecretSpec) (swarm.SecretCreateResponse, error)
	SecretList(ctx context.Context, options swarm.SecretListOptions) ([]swarm.Secret, error)
	SecretRemove(ctx context.Context, id string) error
	SecretUpdate(ctx context.Context, id string, version swarm.Version, spec swarm.SecretSpec) error
}

// Deployer creates, updates and removes stacks on a swarm.
type Deployer struct {
	engine EngineAPI
	// poll is how often Remove and the prune step look again for tasks that must go away.
	poll time.Duration
}

// NewDeployer returns a Deployer that talks to engine, which must be a swarm manager.
func NewDeployer(engine EngineAPI) *Deployer {
	return &Deployer{engine: engine, poll: 250 * time.Millisecond}
}

// Change is what Apply did to one service.
type Change struct {
	Service string // full name on the swarm (stack_service)
	Action  string // ActionCreated, ActionUpdated, ActionRemoved or ActionUnchanged
}

// Check verifies, without changing anything, that stack can be applied: external networks,
// configs and secrets exist, existing stack configs whose content differs are not in use,
// existing stack networks are compatible and no name belongs to something outside the stack.
// Every problem found is reported; each wraps ErrNotFound or ErrConflict (ErrInUse).
// Secret content cannot be read back from Swarm, so a changed secret is found by Apply.
func (d *Deployer) Check(ctx context.Context, stack *composeext.Stack) error {
	cur, err := d.snapshot(ctx)
	if err != nil {
		return err
	}
	return checkStack(desiredStack(stack), cur)
}

// Apply makes the swarm match stack, like `docker stack deploy --prune --resolve-image never`,
// and labels every service with revision. It checks first, so input that Check refuses
// changes nothing. Then it writes secrets, configs and networks, creates or updates the
// services, removes the stack's services that stack no longer has, and finally the stack's
// networks, configs and secrets no service uses any more. The changes come back sorted by
// service name, also when an error is returned after some were made.
func (d *Deployer) Apply(ctx context.Context, stack *composeext.Stack, revision int) ([]Change, error) {
	want := desiredStack(stack)
	cur, err := d.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkStack(want, cur); err != nil {
		return nil, err
	}
	if err := d.applyObjects(ctx, want, cur); err != nil {
		return nil, err
	}
	// Configs, secrets and networks may have been created: services need their IDs.
	if cur, err = d.snapshot(ctx); err != nil {
		return nil, err
	}
	changes, err := d.applyServices(ctx, want, cur, revision)
	sortChanges(changes)
	if err != nil {
		return changes, err
	}
	removed, err := d.pruneServices(ctx, want, cur)
	changes = append(changes, removed...)
	sortChanges(changes)
	if err != nil {
		return changes, err
	}
	if err := d.pruneObjects(ctx, want); err != nil {
		return changes, fmt.Errorf("stack %s deployed, but: %w", want.name, err)
	}
	return changes, nil
}

func sortChanges(changes []Change) {
	sort.Slice(changes, func(i, j int) bool { return changes[i].Service < changes[j].Service })
}
