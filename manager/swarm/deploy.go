// Package swarm applies converted stacks to a Docker Swarm through the Engine API, the way
// `docker stack deploy` and `docker stack rm` do, and labels what it deploys with the EXOS
// revision. A deploy is planned from one snapshot of the stack's objects, applied write
// by write, and undone (compensated) if a write fails, so the swarm is never left
// half-applied.
package swarm

import (
	"context"
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
	ConfigInspectWithRaw(ctx context.Context, id string) (swarm.Config, []byte, error)
	ConfigList(ctx context.Context, options swarm.ConfigListOptions) ([]swarm.Config, error)
	ConfigRemove(ctx context.Context, id string) error
	ConfigUpdate(ctx context.Context, id string, version swarm.Version, spec swarm.ConfigSpec) error
	SecretCreate(ctx context.Context, spec swarm.SecretSpec) (swarm.SecretCreateResponse, error)
	SecretInspectWithRaw(ctx context.Context, id string) (swarm.Secret, []byte, error)
	SecretList(ctx context.Context, options swarm.SecretListOptions) ([]swarm.Secret, error)
	SecretRemove(ctx context.Context, id string) error
	SecretUpdate(ctx context.Context, id string, version swarm.Version, spec swarm.SecretSpec) error
}

// Deployer creates, updates and removes stacks on a swarm.
type Deployer struct {
	engine EngineAPI
	// poll is how often Remove and compensation look again for tasks that must go away.
	poll time.Duration
	// undoTimeout bounds a compensation, which outlives the request that started it.
	undoTimeout time.Duration
}

// NewDeployer returns a Deployer that talks to engine, which must be a swarm manager.
func NewDeployer(engine EngineAPI) *Deployer {
	return &Deployer{engine: engine, poll: 250 * time.Millisecond, undoTimeout: 2 * time.Minute}
}

// Change is what Apply did to one service.
type Change struct {
	Service string // full name on the swarm (stack_service)
	Action  string // ActionCreated, ActionUpdated, ActionRemoved or ActionUnchanged
}

// Options say how a deploy treats the stack's services that the files no longer have.
type Options struct {
	// Prune removes them, as `docker stack deploy --prune` does; without it they are kept.
	// Networks, configs and secrets are never pruned by a deploy (docker's neither).
	Prune bool
	// RegistryAuth is the X-Registry-Auth to send with each service's create or update,
	// by full service name, as `docker stack deploy --with-registry-auth` sends it: what
	// lets nodes that never saw a private image pull it. Swarm keeps it with the service
	// (an update without one keeps the last) and never answers it.
	RegistryAuth map[string]string
	// ImageOnly is the one service (full name) whose image the deploy changes: stack
	// set-image and deploy hooks. It changes nothing else on the swarm (see narrowed),
	// and never prunes. "" deploys the whole stack.
	ImageOnly string
}

// Plan is a checked deploy: the stack as it must be, and the swarm as one snapshot read it.
type Plan struct {
	want desired
	cur  current
	opts Options
}

// Plan reads the stack's objects from the swarm once (label- and name-filtered lists, as
// docker stack deploy reads them) and checks that stack can be applied: external
// networks, configs and secrets exist, changed configs are not in use, existing stack
// networks are compatible, and no name belongs to something outside the stack. Every
// problem found is reported; each wraps api.ErrInvalid or api.ErrConflict. Secret content
// cannot be read back from Swarm, so a changed secret is found by Apply.
func (d *Deployer) Plan(ctx context.Context, stack *composeext.Stack, opts Options) (*Plan, error) {
	want := desiredStack(stack)
	cur, err := d.snapshot(ctx, want)
	if err != nil {
		return nil, err
	}
	if err := checkStack(want, cur); err != nil {
		return nil, err
	}
	if opts.ImageOnly != "" {
		opts.Prune = false
	}
	return &Plan{want: want, cur: cur, opts: opts}, nil
}

// Kept lists the stack's services on the swarm that the stack no longer has and that
// Apply leaves in place because the plan does not prune, sorted.
func (p *Plan) Kept() []string {
	if p.opts.Prune {
		return nil
	}
	var kept []string
	for _, svc := range p.stale() {
		kept = append(kept, svc.Spec.Name)
	}
	sort.Strings(kept)
	return kept
}

// Applied is a deploy that went through: what it did to each service, what it kept, and
// how to undo it should the caller fail to record it.
type Applied struct {
	Changes []Change // sorted by service name
	Kept    []string
	// Before is the version of each service the deploy found, by name: an updated one is
	// at a newer version once the update is done.
	Before  map[string]uint64
	journal *journal
}

// Undo puts the swarm back as it was before the deploy, for a caller that could not
// record it. It returns an *ApplyError saying what was undone.
func (a *Applied) Undo(ctx context.Context, cause error) error {
	return a.journal.compensate(ctx, cause)
}

// Apply makes the swarm match the plan and labels every service with revision: secrets,
// configs and networks first, then the services in name order, then (with Prune) the
// removal of services the stack no longer has. If a write fails, every write Apply made
// is undone in reverse order and the error is an *ApplyError listing what was
// compensated and what could not be.
func (d *Deployer) Apply(ctx context.Context, p *Plan, revision int) (*Applied, error) {
	j := &journal{d: d, stack: p.want.name}
	changes, err := d.apply(ctx, p, revision, j)
	if err != nil {
		return nil, j.compensate(ctx, err)
	}
	sort.Slice(changes, func(i, k int) bool { return changes[i].Service < changes[k].Service })
	return &Applied{Changes: changes, Kept: p.Kept(), Before: p.cur.versions(), journal: j}, nil
}

func (d *Deployer) apply(ctx context.Context, p *Plan, revision int, j *journal) ([]Change, error) {
	refs := newRefIDs(p.cur)
	if err := d.applySecrets(ctx, p, refs, j); err != nil {
		return nil, err
	}
	if err := d.applyConfigs(ctx, p, refs, j); err != nil {
		return nil, err
	}
	if err := d.createNetworks(ctx, p, refs, j); err != nil {
		return nil, err
	}
	changes, err := d.applyServices(ctx, p, refs, revision, j)
	if err != nil || !p.opts.Prune {
		return changes, err
	}
	removed, err := d.pruneServices(ctx, p, j)
	return append(changes, removed...), err
}
