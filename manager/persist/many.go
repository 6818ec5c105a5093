package persist

import (
	"context"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
)

// DeleteNames removes every version of the objects of kind called names, listing kind
// once for them all: removing n small objects (the audit log's single events once they
// are compacted) costs n+1 Engine calls rather than 2n. Names not stored are no error.
func (s *Store) DeleteNames(ctx context.Context, kind string, names []string) error {
	if len(names) == 0 {
		return nil
	}
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	configs, err := s.list(ctx, filters.Arg("label", LabelKind+"="+kind))
	if err != nil {
		return err
	}
	var drop []swarm.Config
	for _, c := range configs {
		if want[c.Spec.Labels[LabelName]] {
			drop = append(drop, c)
		}
	}
	return s.removeConfigs(ctx, drop)
}
