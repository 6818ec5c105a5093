package composeext

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/errdefs"
	"github.com/compose-spec/compose-go/v2/types"
)

// compose-go checks a project's consistency service by service in map order, and stops
// at the first problem: with two bad services, the same input would be answered about
// either. consistencyErrors answers instead about every service that has one, in name
// order, with compose-go's messages, for the problems a stack can have; for any other,
// compose-go's own answer stands.
func consistencyErrors(ctx context.Context, in Input, original error) error {
	project, err := loadProjectWith(ctx, in, true)
	if err != nil {
		return original
	}
	var errs []error
	for _, name := range sortedKeys(project.Services) {
		if err := serviceConsistency(project, project.Services[name]); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		return original
	}
	return errors.Join(errs...)
}

// serviceConsistency is the first of compose-go's consistency problems s has, among those
// a stack's service can have.
func serviceConsistency(p *types.Project, s types.ServiceConfig) error {
	invalid := func(format string, args ...any) error {
		return fmt.Errorf(format+": %w", append(args, errdefs.ErrInvalid)...)
	}
	switch {
	case s.Build == nil && s.Image == "" && s.Provider == nil:
		return invalid("service %q has neither an image nor a build context specified", s.Name)
	case s.NetworkMode != "" && len(s.Networks) > 0:
		return invalid("service %s declares mutually exclusive `network_mode` and `networks`", s.Name)
	}
	if n := firstMissing(sortedKeys(s.Networks), p.Networks); n != "" {
		return invalid("service %q refers to undefined network %s", s.Name, n)
	}
	for _, dep := range sortedKeys(s.DependsOn) {
		if _, ok := p.Services[dep]; !ok {
			return invalid("service %q depends on undefined service %q", s.Name, dep)
		}
	}
	if target, ok := strings.CutPrefix(s.NetworkMode, types.ServicePrefix); ok {
		if _, found := p.Services[target]; !found {
			return fmt.Errorf("service %q not found for network_mode 'service:%s'", target, target)
		}
	}
	for _, v := range s.Volumes {
		if _, ok := p.Volumes[v.Source]; v.Type == types.VolumeTypeVolume && v.Source != "" && !ok {
			return invalid("service %q refers to undefined volume %s", s.Name, v.Source)
		}
	}
	for _, c := range s.Configs {
		if _, ok := p.Configs[c.Source]; !ok {
			return invalid("service %q refers to undefined config %s", s.Name, c.Source)
		}
	}
	for _, sec := range s.Secrets {
		if _, ok := p.Secrets[sec.Source]; !ok {
			return invalid("service %q refers to undefined secret %s", s.Name, sec.Source)
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func firstMissing[V any](names []string, defined map[string]V) string {
	for _, n := range names {
		if _, ok := defined[n]; !ok {
			return n
		}
	}
	return ""
}
