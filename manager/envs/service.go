// Package envs manages environments (Dev, QA, Prod...). An environment owns nodes through the
// node label io.exos.env.<name>=true, so a node can belong to several environments and Swarm
// itself enforces the placement of the stacks deployed into one.
package envs

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/persist"
	"github.com/exos-platform/exos/manager/state"
)

// kind is the persist kind of environment objects.
const kind = "environment"

// NodeLabelPrefix + name is the node label that puts a node in an environment.
const NodeLabelPrefix = "io.exos.env."

var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,29}$`)

// Objects is the durable store; *persist.Store implements it.
type Objects interface {
	Put(ctx context.Context, kind, name string, data []byte, labels map[string]string) error
	Delete(ctx context.Context, kind, name string) error
	List(ctx context.Context, kind string) ([]persist.Object, error)
}

// NodeAPI is the part of the Engine API that labels nodes; *client.Client implements it.
type NodeAPI interface {
	NodeInspectWithRaw(ctx context.Context, nodeID string) (swarm.Node, []byte, error)
	NodeUpdate(ctx context.Context, nodeID string, version swarm.Version, node swarm.NodeSpec) error
}

// Service manages environments; changes are serialized.
type Service struct {
	store   *state.Store
	objects Objects
	nodes   NodeAPI
	now     func() time.Time
	mu      sync.Mutex
}

// New returns an environment service.
func New(store *state.Store, objects Objects, nodes NodeAPI, now func() time.Time) *Service {
	return &Service{store: store, objects: objects, nodes: nodes, now: now}
}

type document struct {
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	CreatedAt   time.Time `json:"createdAt"`
}

// Load reads the environments from the swarm into the index.
func (s *Service) Load(ctx context.Context) error {
	objs, err := s.objects.List(ctx, kind)
	if err != nil {
		return err
	}
	for _, o := range objs {
		var d document
		if err := json.Unmarshal(o.Data, &d); err != nil {
			return fmt.Errorf("failed to decode stored environment %s: %w", o.Name, err)
		}
		if err := s.store.UpsertEnvironments(&state.Environment{Name: d.Name, Description: d.Description, CreatedAt: d.CreatedAt}); err != nil {
			return err
		}
	}
	return nil
}

// Create stores a new environment with no nodes.
func (s *Service) Create(ctx context.Context, req api.EnvironmentCreateRequest) (api.Environment, error) {
	if !validName.MatchString(req.Name) {
		return api.Environment{}, api.Errorf(api.ErrInvalid, "environment name %q must be 1-30 lowercase letters, digits, '-' or '_', starting with a letter or digit", req.Name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.store.EnvironmentByName(nil, req.Name) != nil {
		return api.Environment{}, api.Errorf(api.ErrConflict, "environment %q already exists", req.Name)
	}
	d := document{Name: req.Name, Description: req.Description, CreatedAt: s.now().UTC()}
	data, _ := json.Marshal(d)
	if err := s.objects.Put(ctx, kind, d.Name, data, nil); err != nil {
		return api.Environment{}, err
	}
	if err := s.store.UpsertEnvironments(&state.Environment{Name: d.Name, Description: d.Description, CreatedAt: d.CreatedAt}); err != nil {
		return api.Environment{}, err
	}
	return s.Inspect(d.Name)
}

// List returns every environment with its nodes and stacks, sorted by name.
func (s *Service) List() []api.Environment {
	var out []api.Environment
	nodes, stacks := s.store.Nodes(nil), s.store.Stacks(nil)
	for _, e := range s.store.Environments(nil) {
		out = append(out, describe(e, nodes, stacks))
	}
	if out == nil {
		out = []api.Environment{}
	}
	return out
}

// Inspect returns one environment.
func (s *Service) Inspect(name string) (api.Environment, error) {
	e := s.store.EnvironmentByName(nil, name)
	if e == nil {
		return api.Environment{}, notFound(name)
	}
	return describe(e, s.store.Nodes(nil), s.store.Stacks(nil)), nil
}

// describe is what the API shows of an environment: its nodes (those with its label) and
// the stacks deployed into it.
func describe(e *state.Environment, nodes []*state.Node, stacks []state.StackSummary) api.Environment {
	out := api.Environment{Name: e.Name, Description: e.Description, CreatedAt: e.CreatedAt, NodeLabel: NodeLabelPrefix + e.Name, Nodes: []string{}, Stacks: []string{}}
	for _, n := range nodes {
		if n.Labels[NodeLabelPrefix+e.Name] == "true" {
			out.Nodes = append(out.Nodes, n.Hostname)
		}
	}
	for _, st := range stacks {
		if st.Env == e.Name {
			out.Stacks = append(out.Stacks, st.Name)
		}
	}
	sort.Strings(out.Nodes)
	return out
}

func notFound(name string) error {
	return api.Errorf(api.ErrNotFound, "environment %q does not exist (see `docker exos env ls`)", name)
}
