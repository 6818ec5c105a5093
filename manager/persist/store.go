// Package persist keeps EXOS's own objects (environments, stack revisions, tombstones...)
// durable in the swarm's Raft store as Swarm configs, so the manager has no database and
// survives losing any node the swarm survives.
//
// Each object is one config named "exos.<kind>.<name>.<seq>" and labelled io.exos.kind,
// io.exos.name and io.exos.seq. Configs are immutable, so a change writes version seq+1 and
// only then removes the older versions: a manager killed between the two steps leaves two
// versions, and the highest seq wins when the objects are read back. A write returns only
// after the Engine API accepted the new config, so a caller may acknowledge it.
package persist

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"strconv"

	cerrdefs "github.com/containerd/errdefs"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
)

// Labels that identify EXOS objects among the swarm's configs.
const (
	LabelKind = "io.exos.kind"
	LabelName = "io.exos.name"
	LabelSeq  = "io.exos.seq"
)

// ConfigAPI is the part of the Engine API the store needs; *client.Client satisfies it.
type ConfigAPI interface {
	ConfigList(ctx context.Context, options swarm.ConfigListOptions) ([]swarm.Config, error)
	ConfigCreate(ctx context.Context, config swarm.ConfigSpec) (swarm.ConfigCreateResponse, error)
	ConfigInspectWithRaw(ctx context.Context, id string) (swarm.Config, []byte, error)
	ConfigUpdate(ctx context.Context, id string, version swarm.Version, config swarm.ConfigSpec) error
	ConfigRemove(ctx context.Context, id string) error
}

// Object is one stored object, decoded.
type Object struct {
	Kind   string
	Name   string
	Seq    int
	Labels map[string]string // extra labels given to Put
	Data   []byte
}

// Store reads and writes EXOS objects.
type Store struct {
	engine ConfigAPI
}

// New returns a store over the given Engine API.
func New(engine ConfigAPI) *Store {
	return &Store{engine: engine}
}

// Put writes a new version of the object kind/name with data and extra labels, then removes
// the versions it replaces.
func (s *Store) Put(ctx context.Context, kind, name string, data []byte, labels map[string]string) error {
	old, err := s.versions(ctx, kind, name)
	if err != nil {
		return err
	}
	seq := 1
	if len(old) > 0 {
		seq = seqOf(old[len(old)-1]) + 1
	}
	if err := s.create(ctx, kind, name, seq, data, labels); err != nil {
		return err
	}
	return s.removeConfigs(ctx, old)
}

// Create writes the first version of kind/name and fails with ErrExists if it is already
// stored. Immutable objects such as revisions use it. It makes one Engine call: Swarm
// itself refuses a second config of the same name.
func (s *Store) Create(ctx context.Context, kind, name string, data []byte, labels map[string]string) error {
	err := s.create(ctx, kind, name, 1, data, labels)
	if cerrdefs.IsConflict(err) {
		return fmt.Errorf("%s %q: %w", kind, name, ErrExists)
	}
	return err
}

// SetLabels changes labels of an object written with Create, the one thing Swarm lets
// change on a config: keys with a value are set, keys with "" removed. Revisions keep
// their state this way, without rewriting their body.
func (s *Store) SetLabels(ctx context.Context, kind, name string, labels map[string]string) error {
	c, _, err := s.engine.ConfigInspectWithRaw(ctx, createdName(kind, name))
	if err != nil {
		return fmt.Errorf("failed to read %s %q: %w", kind, name, err)
	}
	spec := c.Spec
	spec.Labels = maps.Clone(spec.Labels)
	for k, v := range labels {
		if v == "" {
			delete(spec.Labels, k)
		} else {
			spec.Labels[k] = v
		}
	}
	if err := s.engine.ConfigUpdate(ctx, c.ID, c.Version, spec); err != nil {
		return fmt.Errorf("failed to update %s %q: %w", kind, name, err)
	}
	return nil
}

// Delete removes every version of kind/name. Deleting what does not exist is not an error.
func (s *Store) Delete(ctx context.Context, kind, name string) error {
	old, err := s.versions(ctx, kind, name)
	if err != nil {
		return err
	}
	return s.removeConfigs(ctx, old)
}

// List returns the newest version of every object of kind, sorted by name. Older versions
// a crash left behind are skipped (Put removes them on its next write).
func (s *Store) List(ctx context.Context, kind string) ([]Object, error) {
	configs, err := s.list(ctx, filters.Arg("label", LabelKind+"="+kind))
	if err != nil {
		return nil, err
	}
	newest := map[string]swarm.Config{}
	for _, c := range configs {
		name := c.Spec.Labels[LabelName]
		if cur, ok := newest[name]; !ok || seqOf(c) > seqOf(cur) {
			newest[name] = c
		}
	}
	out := make([]Object, 0, len(newest))
	for _, c := range newest {
		obj, err := decodeObject(c)
		if err != nil {
			return nil, err
		}
		out = append(out, obj)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (s *Store) create(ctx context.Context, kind, name string, seq int, data []byte, labels map[string]string) error {
	spec, err := encodeObject(kind, name, seq, data, labels)
	if err != nil {
		return err
	}
	if _, err := s.engine.ConfigCreate(ctx, spec); err != nil {
		return fmt.Errorf("failed to store %s %q: %w", kind, name, err)
	}
	return nil
}

// versions lists the stored versions of kind/name, oldest first.
func (s *Store) versions(ctx context.Context, kind, name string) ([]swarm.Config, error) {
	configs, err := s.list(ctx, filters.Arg("label", LabelKind+"="+kind), filters.Arg("label", LabelName+"="+name))
	if err != nil {
		return nil, err
	}
	sort.Slice(configs, func(i, j int) bool { return seqOf(configs[i]) < seqOf(configs[j]) })
	return configs, nil
}

func (s *Store) list(ctx context.Context, args ...filters.KeyValuePair) ([]swarm.Config, error) {
	configs, err := s.engine.ConfigList(ctx, swarm.ConfigListOptions{Filters: filters.NewArgs(args...)})
	if err != nil {
		return nil, fmt.Errorf("failed to list EXOS objects: %w", err)
	}
	return configs, nil
}

func (s *Store) removeConfigs(ctx context.Context, configs []swarm.Config) error {
	for _, c := range configs {
		if err := s.engine.ConfigRemove(ctx, c.ID); err != nil {
			return fmt.Errorf("failed to remove old version %s: %w", c.Spec.Name, err)
		}
	}
	return nil
}

func seqOf(c swarm.Config) int {
	n, _ := strconv.Atoi(c.Spec.Labels[LabelSeq])
	return n
}
