package persist

import (
	"context"
	"fmt"

	cerrdefs "github.com/containerd/errdefs"
)

// Objects written once with Create have one version, so their config's name is known:
// Get and Remove reach them by that name, with no list. Reading one archived revision
// this way costs one inspect of one config, however many other objects the swarm holds.

// createdName is the config name of an object written with Create.
func createdName(kind, name string) string { return fmt.Sprintf("exos.%s.%s.%d", kind, name, 1) }

// Get reads an object written with Create. A missing one is an error that
// cerrdefs.IsNotFound recognizes.
func (s *Store) Get(ctx context.Context, kind, name string) (Object, error) {
	c, _, err := s.engine.ConfigInspectWithRaw(ctx, createdName(kind, name))
	if err != nil {
		return Object{}, fmt.Errorf("failed to read %s %q: %w", kind, name, err)
	}
	return decodeObject(c)
}

// Remove removes an object written with Create, by its config's name (the Engine takes
// a name where it takes an ID). Removing what is already gone is not an error: a
// compaction a crash interrupted removes again what it may have removed.
func (s *Store) Remove(ctx context.Context, kind, name string) error {
	if err := s.engine.ConfigRemove(ctx, createdName(kind, name)); err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("failed to remove %s %q: %w", kind, name, err)
	}
	return nil
}
