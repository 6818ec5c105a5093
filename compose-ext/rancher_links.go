package composeext

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Rancher links (links: [db:mysql]) made a service reachable under another name. On
// Swarm every service of a stack reaches the others by name on the stack's network, and
// the alias becomes a network alias of the linked service (for every service, not only
// the one that linked: Swarm aliases are the network's).

// translateLinks translates every service's links.
func (r *rancherReader) translateLinks() {
	for _, name := range r.order {
		if s := r.services[name]; !s.dropped {
			r.translateServiceLinks(s)
		}
	}
}

func (r *rancherReader) translateServiceLinks(s *rancherService) {
	k, v := deleteKey(s.node, "links")
	if k == nil {
		return
	}
	var aliases []string
	for _, item := range scalarValues(v) {
		target, alias, _ := strings.Cut(r.value(item), ":")
		t := r.services[target]
		switch {
		case strings.Contains(target, "/"):
			r.refuse(s, item.Line, "links", "not supported on Swarm: Rancher link to %s, a service of another stack: "+
				"attach both stacks to an external network and use that service's name", target)
		case t == nil:
			r.refuse(s, item.Line, "links", "Rancher link to %q: no such service in the stack", target)
		case t.dropped || alias == "" || alias == target:
		case r.services[alias] != nil && !r.services[alias].dropped:
			r.warn(s, item.Line, "links", "Rancher link alias %q is the name of another service: not added", alias)
		default:
			r.addAlias(t, alias, item.Line)
			aliases = append(aliases, alias+" for "+target)
		}
	}
	why := "Swarm resolves service names on the stack's network"
	if len(aliases) > 0 {
		why += "; network aliases " + strings.Join(aliases, ", ")
	}
	r.warn(s, k.Line, "links", "Rancher links dropped: %s", why)
}

// addAlias adds a network alias to a service on every network it joins (the stack's
// default network when it names none).
func (r *rancherReader) addAlias(s *rancherService, alias string, line int) {
	_, nets := child(s.node, "networks")
	switch {
	case nets == nil:
		nets = mapNode(line)
		setKey(nets, defaultNetwork, mapNode(line))
		setKey(s.node, "networks", nets)
	case nets.Kind == yaml.SequenceNode:
		m := mapNode(nets.Line)
		for _, n := range scalarValues(nets) {
			if n.Value == "host" || n.Value == "none" {
				return // no aliases on the node's own networks
			}
			setKey(m, n.Value, mapNode(n.Line))
		}
		setKey(s.node, "networks", m)
		nets = m
	}
	for i := 0; i+1 < len(nets.Content); i += 2 {
		cfg := nets.Content[i+1]
		if cfg.Kind != yaml.MappingNode {
			cfg = mapNode(nets.Content[i].Line)
			nets.Content[i+1] = cfg
		}
		seq := childSeq(cfg, "aliases", line)
		if !slices.ContainsFunc(seq.Content, func(n *yaml.Node) bool { return n.Value == alias }) {
			seq.Content = append(seq.Content, strNode(alias, line))
		}
	}
}
