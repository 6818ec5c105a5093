package dashboard

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/exos-platform/exos/manager/api"
)

const (
	// kindPins labels each user's pins, one config per user.
	kindPins = "dashboard-pins"
	// maxPins bounds each list: an overview, not an inventory.
	maxPins    = 50
	maxPinName = 256
)

type pinsDoc struct {
	User string            `json:"user"`
	Pins api.DashboardPins `json:"pins"`
}

// Pins are what user pinned to their overview (empty lists for none).
func (s *Service) Pins(user string) api.DashboardPins {
	s.pinsMu.RLock()
	defer s.pinsMu.RUnlock()
	p, ok := s.pins[user]
	if !ok {
		return api.DashboardPins{Services: []string{}, Hosts: []string{}}
	}
	return api.DashboardPins{Services: slices.Clone(p.Services), Hosts: slices.Clone(p.Hosts)}
}

// SetPins replaces user's pins, stored in the swarm before it returns them. Pins may
// name what the user does not see (any longer): the overview leaves those out.
func (s *Service) SetPins(ctx context.Context, user string, pins api.DashboardPins) (api.DashboardPins, error) {
	clean, err := cleanPins(pins)
	if err != nil {
		return api.DashboardPins{}, err
	}
	if s.objects != nil {
		data, err := json.Marshal(pinsDoc{User: user, Pins: clean})
		if err != nil {
			return api.DashboardPins{}, err
		}
		if err := s.objects.Put(ctx, kindPins, pinsName(user), data, nil); err != nil {
			return api.DashboardPins{}, fmt.Errorf("failed to store the pins of %s: %w", user, err)
		}
	}
	s.pinsMu.Lock()
	s.pins[user] = clean
	s.pinsMu.Unlock()
	s.notify()
	return s.Pins(user), nil
}

// cleanPins drops duplicates and empty names and refuses lists over maxPins.
func cleanPins(p api.DashboardPins) (api.DashboardPins, error) {
	out := api.DashboardPins{Services: []string{}, Hosts: []string{}}
	for _, list := range []struct {
		in  []string
		out *[]string
	}{{p.Services, &out.Services}, {p.Hosts, &out.Hosts}} {
		for _, name := range list.in {
			if len(name) > maxPinName {
				return api.DashboardPins{}, api.Errorf(api.ErrInvalid, "a pin names at most %d bytes", maxPinName)
			}
			if name != "" && !slices.Contains(*list.out, name) {
				*list.out = append(*list.out, name)
			}
		}
		if len(*list.out) > maxPins {
			return api.DashboardPins{}, api.Errorf(api.ErrInvalid, "at most %d services and %d hosts may be pinned", maxPins, maxPins)
		}
	}
	return out, nil
}

// pinsName names a user's config: a hash, as user names may hold what a config name
// may not.
func pinsName(user string) string {
	sum := sha256.Sum256([]byte(user))
	return hex.EncodeToString(sum[:12])
}

func (s *Service) loadPins(ctx context.Context) error {
	if s.objects == nil {
		return nil
	}
	objs, err := s.objects.List(ctx, kindPins)
	if err != nil {
		return fmt.Errorf("failed to read the dashboard pins: %w", err)
	}
	pins := map[string]api.DashboardPins{}
	for _, o := range objs {
		var doc pinsDoc
		if err := json.Unmarshal(o.Data, &doc); err != nil {
			s.log.Warn("skipping dashboard pins that do not read", "config", o.Name, "err", err)
			continue
		}
		if clean, err := cleanPins(doc.Pins); err == nil {
			pins[doc.User] = clean
		}
	}
	s.pinsMu.Lock()
	s.pins = pins
	s.pinsMu.Unlock()
	return nil
}
