package composeext

import (
	"sort"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/swarm"
)

// convertExtraHosts gives SwarmKit's "IP hostname" notation. compose-go keeps hosts in a
// map, so the file's order is lost: entries are sorted by host (then kept in file order
// per host). The CLI keeps the file's order; the two agree when the file lists hosts
// sorted, and /etc/hosts lookups do not depend on the order of distinct names.
func convertExtraHosts(hosts types.HostsList) []string {
	names := make([]string, 0, len(hosts))
	for name := range hosts {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]string, 0, len(hosts))
	for _, name := range names {
		for _, ip := range hosts[name] {
			out = append(out, ip+" "+name)
		}
	}
	return out
}

func convertDNS(dns, search []string) *swarm.DNSConfig {
	if dns == nil && search == nil {
		return nil
	}
	return &swarm.DNSConfig{Nameservers: dns, Search: search}
}

func (c *converter) healthcheck() *container.HealthConfig {
	hc := c.svc.HealthCheck
	if hc == nil {
		return nil
	}
	if hc.Disable {
		if len(hc.Test) != 0 {
			c.problem("healthcheck", "test and disable can't be set at the same time")
		}
		return &container.HealthConfig{Test: []string{"NONE"}}
	}
	out := &container.HealthConfig{
		Test:          hc.Test,
		Timeout:       durationValue(hc.Timeout),
		Interval:      durationValue(hc.Interval),
		StartPeriod:   durationValue(hc.StartPeriod),
		StartInterval: durationValue(hc.StartInterval),
	}
	if hc.Retries != nil {
		out.Retries = int(*hc.Retries)
	}
	return out
}

// convertEnvironment gives KEY=value (or KEY alone for an unresolved variable), sorted.
func convertEnvironment(env types.MappingWithEquals) []string {
	var out []string
	for name, value := range env {
		if value == nil {
			out = append(out, name)
			continue
		}
		out = append(out, name+"="+*value)
	}
	sort.Strings(out)
	return out
}

func durationPtr(d *types.Duration) *time.Duration {
	if d == nil {
		return nil
	}
	v := time.Duration(*d)
	return &v
}

func durationValue(d *types.Duration) time.Duration {
	if d == nil {
		return 0
	}
	return time.Duration(*d)
}

// effectiveCaps normalises capabilities like opts.EffectiveCapAddCapDrop: upper case with
// a CAP_ prefix, ALL trumping the others, an added capability never dropped, sorted.
func effectiveCaps(add, drop []string) (capAdd, capDrop []string) {
	addCaps, dropCaps := capSet(add), capSet(drop)
	if addCaps["ALL"] {
		addCaps = map[string]bool{"ALL": true}
	}
	if dropCaps["ALL"] {
		dropCaps = map[string]bool{"ALL": true}
	}
	for c := range dropCaps {
		if !addCaps[c] && c != "RESET" {
			capDrop = append(capDrop, c)
		}
	}
	for c := range addCaps {
		if c != "RESET" {
			capAdd = append(capAdd, c)
		}
	}
	sort.Strings(capAdd)
	sort.Strings(capDrop)
	return capAdd, capDrop
}

func capSet(caps []string) map[string]bool {
	out := make(map[string]bool, len(caps))
	for _, c := range caps {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c != "ALL" && c != "RESET" && !strings.HasPrefix(c, "CAP_") {
			c = "CAP_" + c
		}
		out[c] = true
	}
	return out
}

func convertUlimits(in map[string]*types.UlimitsConfig) []*container.Ulimit {
	out := make([]*container.Ulimit, 0, len(in))
	for name, u := range in {
		soft, hard := int64(u.Soft), int64(u.Hard)
		if u.Single != 0 {
			soft, hard = int64(u.Single), int64(u.Single)
		}
		out = append(out, &container.Ulimit{Name: name, Soft: soft, Hard: hard})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func convertLogging(l *types.LoggingConfig) *swarm.Driver {
	if l == nil {
		return nil
	}
	return &swarm.Driver{Name: l.Driver, Options: l.Options}
}
