package server

import (
	"fmt"
	"net/http"

	"github.com/exos-platform/exos/manager/api"
	"github.com/exos-platform/exos/manager/authz"
)

// authorize checks the caller against the route's rule. An object the caller may not see
// answers its not-found, exactly as if it did not exist; one it sees but may not change
// answers 403.
func (s *Server) authorize(r *http.Request, route string, p authz.Principal) error {
	rl, ok := permissions[route]
	if !ok {
		// Every registered route has a rule (TestEveryRouteHasARule): a missing one is a
		// bug, and refusing is the safe side.
		return fmt.Errorf("route %s has no permission rule", route)
	}
	if p.Admin && p.Env == "" && !p.ReadOnly {
		return nil // the global admin may do anything anywhere: no scope to resolve
	}
	if rl.scope == nil {
		if p.Allowed(rl.action, "") {
			return nil
		}
		return forbidden(p, rl.action, "")
	}
	sc := rl.scope(s, r)
	for _, env := range sc.envs {
		if p.Allowed(rl.action, env) {
			continue
		}
		if sc.notFound != nil && (!sc.exists || (!sc.seen && !p.Sees(env))) {
			return sc.notFound
		}
		return forbidden(p, rl.action, env)
	}
	return nil
}

func forbidden(p authz.Principal, action authz.Action, env string) error {
	where := fmt.Sprintf("in environment %s", env)
	if env == "" {
		where = "outside the environments (the global admin's)"
	}
	if p.ReadOnly && action != authz.Read && action != authz.Self {
		return api.Errorf(api.ErrForbidden, "%s has a read-only token: it may not %s", p.Name, action)
	}
	return api.Errorf(api.ErrForbidden, "%s may not %s %s (see `docker exos env member ls`)", p.Name, action, where)
}
