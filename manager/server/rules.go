package server

import (
	"sort"

	"github.com/exos-platform/exos/manager/authz"
)

// Rule is one route's entry in the permission table, as the RBAC matrix test (e2e) and
// the security documentation read it: the action, and whether it is taken in the
// environments of the request's object (Scoped) or outside any (the caller's own, the
// global admin's, or anyone's).
type Rule struct {
	Route  string
	Action authz.Action
	Scoped bool
}

// Rules returns the permission table, every registered route's rule, sorted by route.
func Rules() []Rule {
	out := make([]Rule, 0, len(permissions))
	for route, rl := range permissions {
		if route == "unknown" {
			continue
		}
		out = append(out, Rule{Route: route, Action: rl.action, Scoped: rl.scope != nil})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Route < out[j].Route })
	return out
}
