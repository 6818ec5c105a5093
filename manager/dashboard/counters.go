package dashboard

import (
	"strings"
	"time"

	"github.com/exos-platform/exos/manager/api"
)

// counters are the totals of what the caller sees: environments, hosts by state, the
// volumes of the stacks it sees, the registries it may use, its stacks, services and
// containers (running, and failed within failingWindow).
func counters(m *model, rows []hostRow, sees func(string) bool, registries []api.Registry, now time.Time) api.DashboardCounters {
	var c api.DashboardCounters
	for _, env := range m.envs {
		if sees(env) {
			c.Environments++
		}
	}
	for _, row := range rows {
		c.Hosts.Total++
		switch row.state {
		case api.HostReady:
			c.Hosts.Ready++
		case api.HostDown:
			c.Hosts.Down++
		case api.HostDrain:
			c.Hosts.Drain++
		case api.HostSilent:
			c.Hosts.Silent++
		}
		if row.samples != nil {
			for _, v := range row.samples.volumes {
				if sees(m.envOfVolume(v)) {
					c.Volumes++
				}
			}
		}
	}
	for _, r := range registries {
		if r.Env == "" || sees(r.Env) {
			c.Registries++
		}
	}
	for _, st := range m.stacks {
		if sees(st.env) {
			c.Stacks++
		}
	}
	for _, svc := range m.services {
		if sees(svc.env) {
			c.Services++
			c.Containers.Running += svc.running
		}
	}
	for _, f := range m.failed {
		if now.Sub(f.at) > failingWindow {
			break
		}
		if sees(f.service.env) {
			c.Containers.Failing++
		}
	}
	c.Containers.Total = c.Containers.Running + c.Containers.Failing
	return c
}

// envOfVolume is the environment of a volume's stack: its label, else the stack its name
// starts with (stack_volume, as docker stack deploy names them); "" for none.
func (m *model) envOfVolume(v api.VolumeSample) string {
	stack := v.Stack
	if stack == "" {
		stack, _, _ = strings.Cut(v.Name, "_")
	}
	return m.envOfStack(stack)
}
