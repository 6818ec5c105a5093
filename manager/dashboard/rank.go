package dashboard

import (
	"cmp"
	"slices"

	"github.com/exos-platform/exos/manager/api"
)

// host is a visible node as the ranking names it.
type host struct {
	id, hostname string
}

// rank sums the reasons the caller sees into the environments and hosts they count
// toward, and returns the top n of each, highest score first (ties by name). A reason
// counts toward an environment the caller sees, and toward a host in hosts (those the
// caller sees); one whose object is in no environment the caller sees counts nowhere.
func rank(reasons []scored, sees func(string) bool, hosts map[string]host, n int) (envs, nodes []api.Attention) {
	byEnv, byNode := map[string]*api.Attention{}, map[string]*api.Attention{}
	for _, r := range reasons {
		if !slices.ContainsFunc(r.envs, sees) {
			continue
		}
		if !r.hostOnly {
			for _, env := range r.envs {
				if env != "" && sees(env) {
					add(byEnv, env, api.Attention{Kind: "environment", Name: env}, r.Reason)
				}
			}
		}
		if h, ok := hosts[r.node]; ok && r.node != "" {
			add(byNode, r.node, api.Attention{Kind: "node", Name: h.hostname, ID: h.id}, r.Reason)
		}
	}
	return top(byEnv, n), top(byNode, n)
}

func add(to map[string]*api.Attention, key string, zero api.Attention, r api.Reason) {
	a := to[key]
	if a == nil {
		a = &zero
		to[key] = a
	}
	a.Score += r.Score
	a.Reasons = append(a.Reasons, r)
}

func top(by map[string]*api.Attention, n int) []api.Attention {
	out := make([]api.Attention, 0, len(by))
	for _, a := range by {
		if a.Score <= 0 {
			continue
		}
		slices.SortStableFunc(a.Reasons, func(x, y api.Reason) int {
			return cmp.Or(cmp.Compare(y.Score, x.Score), cmp.Compare(x.Text, y.Text))
		})
		out = append(out, *a)
	}
	slices.SortFunc(out, func(x, y api.Attention) int {
		return cmp.Or(cmp.Compare(y.Score, x.Score), cmp.Compare(x.Name, y.Name))
	})
	return out[:min(n, len(out))]
}

// topBy returns the n containers with the highest key, highest first, ties by ID.
func topBy(cs []*container, n int, key func(*container) float64) []*container {
	out := make([]*container, 0, n+1)
	for _, c := range cs {
		if len(out) == n && key(c) < key(out[n-1]) {
			continue // most containers: not among the busiest
		}
		i, _ := slices.BinarySearchFunc(out, c, func(x, c *container) int {
			return cmp.Or(cmp.Compare(key(c), key(x)), cmp.Compare(x.sample.ContainerID, c.sample.ContainerID))
		})
		if i >= n {
			continue
		}
		out = slices.Insert(out, i, c)
		if len(out) > n {
			out = out[:n]
		}
	}
	return out
}

func cpuOf(c *container) float64 { return c.sample.CPUPercent }
func memOf(c *container) float64 { return float64(c.sample.MemoryUsage) }
