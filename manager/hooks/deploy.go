package hooks

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/distribution/reference"
	"github.com/hashicorp/go-memdb"
	"golang.org/x/time/rate"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/state"
)

// Resolver pins an image's tag to the digest its registry has, with the credentials of
// the registry EXOS knows for env; *registries.Service implements it. Pinned is
// repo:tag@sha256:...; an unknown tag wraps api.ErrUnprocessable, a registry that does
// not answer api.ErrBadGateway.
type Resolver interface {
	Resolve(ctx context.Context, image, env string) (pinned string, platforms []api.Platform, known bool, err error)
}

// Deployer makes the stack's next revision with one service at another image, under
// the stack's lock; *stacks.Service implements it. Unchanged in the result says the
// service already runs that digest and no revision was made.
type Deployer interface {
	SetImage(ctx context.Context, stack string, req api.SetImageRequest, author, remoteAddr string) (api.SetImageResult, error)
}

// Stacks is what deploy hooks read of the stacks; *stacks.Service implements it: the
// environment a stack is in (whose registry credentials resolve its tags), and a
// revision's state, which the stack service marks failed when Swarm rolls it back.
type Stacks interface {
	Env(name string) (string, bool)
	Revision(name string, number int) (api.Revision, error)
}

// Swarm is what deploy hooks read of the swarm: the manager's index (*state.Store), which
// the watcher keeps current. A stack's services say which run the pushed repository and
// which digest each runs (a push of the running digest changes nothing), and their update
// status and tasks say whether a rollout converged, is rolling, or was rolled back.
type Swarm interface {
	ServicesByStack(ws memdb.WatchSet, stack string) []*state.Service
	TasksByService(ws memdb.WatchSet, serviceID string) []*state.Task
}

// Audit stores audit events; the manager's audit log does.
type Audit interface {
	Record(ctx context.Context, e api.AuditEvent) error
}

// kindDeployLog labels the configs holding the deploy hooks' delivery history.
const kindDeployLog = "deploy-log"

// DeployConfig wires Deploys.
type DeployConfig struct {
	Registry *Registry // shared with the scale hooks
	Objects  Objects
	Resolver Resolver
	Deployer Deployer
	Stacks   Stacks
	Swarm    Swarm
	Audit    Audit
	Now      func() time.Time
	Log      *slog.Logger
	// HookRate bounds authenticated deliveries per hook and second (0: no limit);
	// HookBurst is the bucket size.
	HookRate  float64
	HookBurst int
}

// Deploys creates deploy hooks and carries out their deliveries: a push is checked,
// resolved to a digest and answered at once, then deployed in the background, one deploy
// at a time per stack, the newest waiting push replacing older ones.
type Deploys struct {
	Hooks    *Registry
	History  *History[api.DeployDelivery]
	resolver Resolver
	deployer Deployer
	stacks   Stacks
	swarm    Swarm
	audit    Audit
	now      func() time.Time
	log      *slog.Logger
	limits   *Limiters

	mu          sync.Mutex
	deployments *recent[*deployment] // by deployment ID
	events      *recent[string]      // registry event ID -> deployment ID ("" if none was made)
	queues      map[string]*stackQueue
	running     sync.WaitGroup // deploys in the background
	deployed    chan struct{}  // closed (and replaced) when a deploy is made, for FollowRollouts
}

// NewDeploys returns the deploy hooks; call Load before serving.
func NewDeploys(c DeployConfig) *Deploys {
	return &Deploys{
		Hooks: c.Registry, History: NewHistory[api.DeployDelivery](c.Objects, c.Log, kindDeployLog, "the deploy hooks' history"),
		resolver: c.Resolver, deployer: c.Deployer, stacks: c.Stacks, swarm: c.Swarm, audit: c.Audit, now: c.Now, log: c.Log,
		limits:      NewLimiters(rate.Limit(c.HookRate), c.HookBurst),
		deployments: newRecent[*deployment](keptDeployments), events: newRecent[string](keptEvents),
		queues: map[string]*stackQueue{}, deployed: make(chan struct{}),
	}
}

// Load reads the delivery history; the hooks themselves are the registry's to load.
func (d *Deploys) Load(ctx context.Context) error { return d.History.Load(ctx) }

// Wait returns when no deploy runs in the background (tests, benchmarks, shutdown).
func (d *Deploys) Wait() { d.running.Wait() }

// CreateHook creates a deploy hook for author, calling from remoteAddr, after checking its
// scope against what runs: a hook that could never deploy is refused now, not at the
// first push.
func (d *Deploys) CreateHook(ctx context.Context, req api.HookCreateRequest, author, remoteAddr string) (api.HookSecret, error) {
	hook, problems := d.checkCreate(req)
	if len(problems) > 0 {
		return api.HookSecret{}, &api.Error{StatusCode: http.StatusBadRequest, Message: "invalid deploy hook; nothing was created", Problems: problems}
	}
	return d.Hooks.Create(ctx, hook, author, remoteAddr)
}

func (d *Deploys) checkCreate(req api.HookCreateRequest) (api.Hook, []api.Problem) {
	var problems []api.Problem
	add := func(key, format string, args ...any) {
		problems = append(problems, api.Problem{Key: key, Message: fmt.Sprintf(format, args...)})
	}
	hook := api.Hook{Kind: api.HookKindDeploy, Services: []string{}, Stack: req.Stack, TagPattern: req.TagPattern}
	if req.Action != "" || len(req.Services) > 0 || req.Step != nil || req.Min != nil || req.Max != nil || req.DryRun {
		add("kind", "action, services, step, min, max and dry-run are for scale hooks; a deploy hook takes --stack, --service, --repository and --tag-pattern")
	}
	services := d.swarm.ServicesByStack(nil, req.Stack)
	switch {
	case req.Stack == "":
		add("stack", "a deploy hook deploys to one stack: give --stack")
	case req.Stack == api.ManagerStack:
		add("stack", "stack %s is the EXOS manager's own; hooks cannot deploy it (use `docker exos manager upgrade`)", req.Stack)
	case len(services) == 0:
		add("stack", "stack %q is not deployed; deploy it first", req.Stack)
	}
	if req.Service != "" && len(services) > 0 {
		hook.Service = strings.TrimPrefix(req.Service, req.Stack+"_")
		if serviceNamed(services, req.Stack, hook.Service) == nil {
			add("service", "stack %s has no service %q (see `docker exos stack services %s`)", req.Stack, hook.Service, req.Stack)
		}
	}
	if req.Repository != "" {
		name, err := normalizedName(req.Repository)
		if err != nil {
			add("repository", "%v; give the repository as the services' images name it, without tag (registry:5000/team/app)", err)
		}
		hook.Repository = name
	}
	if _, err := path.Match(req.TagPattern, ""); err != nil {
		add("tagPattern", "%q is not a glob pattern: %v", req.TagPattern, err)
	}
	if len(problems) == 0 && hook.Repository != "" {
		if _, err := d.targets(hook, Push{Repository: hook.Repository}); err != nil {
			add("repository", "%s", strings.TrimPrefix(err.Error(), api.ErrForbidden.Error()+": "))
		}
	}
	return hook, problems
}

// serviceNamed finds the stack's service by its name in the stack.
func serviceNamed(services []*state.Service, stack, name string) *state.Service {
	for _, svc := range services {
		if svc.Name == stack+"_"+name {
			return svc
		}
	}
	return nil
}

// RevokeHook makes a hook's token stop working; the hook stays listed with its history.
func (d *Deploys) RevokeHook(ctx context.Context, ref, author, remoteAddr string) (api.Hook, error) {
	return d.Hooks.Revoke(ctx, ref, author, remoteAddr)
}

// DeployHistory lists deliveries and what became of them, oldest first, for a hook (ID
// or unique prefix, or the full ID of a removed one) and/or a stack.
func (d *Deploys) DeployHistory(hookRef, stack string) []api.DeployDelivery {
	id := hookRef
	if hookRef != "" {
		if h, err := d.Hooks.Inspect(hookRef); err == nil {
			id = h.ID
		}
	}
	return d.History.List(func(r api.DeployDelivery) bool {
		return (id == "" || r.Hook == id) && (stack == "" || r.Stack == stack)
	})
}

// imageRepository is the normalized repository of a service's image ("" if unreadable).
func imageRepository(image string) string {
	ref, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return ""
	}
	return ref.Name()
}

// sameImage says whether running is the image a push pinned: the same repository at
// the same digest, or, for an image of no registry EXOS knows (pinned is repo:tag, with
// no digest, and deployed by its tag), the same repository at the same tag, unpinned.
func sameImage(running, pinned string) bool {
	r, err1 := reference.ParseNormalizedNamed(running)
	p, err2 := reference.ParseNormalizedNamed(pinned)
	if err1 != nil || err2 != nil || r.Name() != p.Name() {
		return false
	}
	rd, rDigested := r.(reference.Digested)
	if pd, ok := p.(reference.Digested); ok {
		return rDigested && rd.Digest() == pd.Digest()
	}
	return !rDigested && reference.TagNameOnly(r).String() == reference.TagNameOnly(p).String()
}

func serviceImage(svc *state.Service) string {
	if c := svc.Raw.Spec.TaskTemplate.ContainerSpec; c != nil {
		return c.Image
	}
	return ""
}
