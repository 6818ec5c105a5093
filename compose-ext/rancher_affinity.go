package composeext

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Rancher's scheduling labels are io.rancher.scheduler.affinity:<kind>[_ne][_soft...]:
// a comma list of key=value that hosts (host_label) or containers already on a host
// (container_label, container: by name) must match, must not match (_ne), or should (soft).
// Swarm places by node labels, hard only, and can cap a service's tasks per node; that is
// what translates.

// affinityLabel translates one io.rancher.scheduler.affinity:* label.
func (r *rancherReader) affinityLabel(s *rancherService, svc, labels *yaml.Node, l rancherLabel) {
	rule := strings.TrimPrefix(l.name, labelAffinity)
	key := "labels." + l.name
	if _, dropped := droppedLabels[l.name]; dropped {
		dropLabel(labels, l.name)
		r.warn(s, l.line, key, "Rancher label dropped: it changes nothing on Swarm (%s)", droppedLabels[l.name])
		return
	}
	items := splitList(l.value)
	soft := strings.Contains(rule, "_soft")
	switch base := strings.TrimSuffix(strings.Replace(rule, "_soft", "", 1), "_ne"); {
	case base != "host_label" && base != "container_label" && base != "container":
		r.warn(s, l.line, key, "Rancher label unknown to EXOS: kept as a plain label, which Swarm gives no meaning")
		return
	case len(items) == 0:
		dropLabel(labels, l.name)
		r.warn(s, l.line, key, "Rancher scheduling rule dropped: it is empty, so it placed nothing")
	case soft:
		dropLabel(labels, l.name)
		r.warn(s, l.line, key, "Rancher soft scheduling rule dropped: Swarm has no preferred placement of this kind "+
			"(it spreads a service's tasks over the nodes by itself)")
	case base == "host_label":
		r.hostLabel(s, svc, labels, l, strings.HasSuffix(rule, "_ne"), items)
	case rule == "container_label_ne" && r.selfOnly(s, items):
		r.selfAntiAffinity(s, svc, labels, l)
	case rule == "container_label_ne" || rule == "container_ne":
		r.refuse(s, l.line, key, "not supported on Swarm: Rancher anti-affinity with other containers (%s): "+
			"Swarm cannot keep a task off the nodes that run another service; place the services on different nodes "+
			"with node labels (deploy.placement.constraints)", l.value)
	default:
		r.refuse(s, l.line, key, "not supported on Swarm: Rancher affinity with other containers (%s): "+
			"Swarm cannot place a task beside another service's tasks; place both services with the same node label "+
			"(deploy.placement.constraints)", l.value)
	}
}

// splitList splits a Rancher comma list, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// hostLabel: host_label k=v (and _ne) are node label constraints, all of which must hold.
func (r *rancherReader) hostLabel(s *rancherService, svc, labels *yaml.Node, l rancherLabel, ne bool, items []string) {
	op := "=="
	if ne {
		op = "!="
	}
	var constraints []string
	for _, item := range items {
		k, v, ok := strings.Cut(item, "=")
		if k = strings.TrimSpace(k); !ok || k == "" {
			r.refuse(s, l.line, "labels."+l.name, "Rancher host label rule %q: give key=value", item)
			return
		}
		constraints = append(constraints, "node.labels."+k+op+strings.TrimSpace(v))
	}
	dropLabel(labels, l.name)
	placement := childMap(childMap(svc, "deploy", l.line), "placement", l.line)
	seq := childSeq(placement, "constraints", l.line)
	for _, c := range constraints {
		seq.Content = append(seq.Content, strNode(c, l.line))
	}
	r.warn(s, l.line, "labels."+l.name, "Rancher host label rule: deploy.placement.constraints %s (label the nodes with docker node update --label-add)",
		strings.Join(constraints, ", "))
}

// selfOnly reports whether every item of a container rule names the service itself:
// io.rancher.stack_service.name=$${stack_name}/$${service_name} (or its own name).
func (r *rancherReader) selfOnly(s *rancherService, items []string) bool {
	for _, item := range items {
		k, v, _ := strings.Cut(item, "=")
		stack, service, _ := strings.Cut(strings.TrimSpace(v), "/")
		selfStack := stack == "${stack_name}" || stack == r.in.Stack
		selfService := service == "${service_name}" || service == s.name
		if strings.TrimSpace(k) != labelServiceName || !selfStack || !selfService {
			return false
		}
	}
	return true
}

// selfAntiAffinity: a hard anti-affinity with the service's own containers is at most
// one task a node.
func (r *rancherReader) selfAntiAffinity(s *rancherService, svc, labels *yaml.Node, l rancherLabel) {
	dropLabel(labels, l.name)
	key := "labels." + l.name
	if strings.HasPrefix(s.mode, "global") {
		r.warn(s, l.line, key, "Rancher anti-affinity with its own containers dropped: a global service runs one task a node anyway")
		return
	}
	placement := childMap(childMap(svc, "deploy", l.line), "placement", l.line)
	setKey(placement, "max_replicas_per_node", typedNode("!!int", "1", l.line))
	r.warn(s, l.line, key, "Rancher anti-affinity with its own containers: deploy.placement.max_replicas_per_node: 1 "+
		"(tasks that find no free node stay pending)")
}
