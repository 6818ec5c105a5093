package composeext

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// rancherLabel is one label of a service, its value interpolated.
type rancherLabel struct {
	name  string
	value string
	line  int
}

// labelsOf lists the labels of a labels node, in the mapping or the list ("k=v") form.
func (r *rancherReader) labelsOf(labels *yaml.Node) []rancherLabel {
	var out []rancherLabel
	switch labels = resolveAlias(labels); {
	case labels == nil:
	case labels.Kind == yaml.MappingNode:
		for _, p := range pairs(labels) {
			out = append(out, rancherLabel{p.key.Value, r.value(p.value), p.key.Line})
		}
	case labels.Kind == yaml.SequenceNode:
		for _, item := range scalarValues(labels) {
			k, v, _ := strings.Cut(r.value(item), "=")
			out = append(out, rancherLabel{k, v, item.Line})
		}
	}
	return out
}

// dropLabel removes a label from a labels node, in either form.
func dropLabel(labels *yaml.Node, name string) {
	switch labels = resolveAlias(labels); {
	case labels == nil:
	case labels.Kind == yaml.MappingNode:
		deleteKey(labels, name)
	case labels.Kind == yaml.SequenceNode:
		kept := labels.Content[:0:0]
		for _, item := range labels.Content {
			if k, _, _ := strings.Cut(item.Value, "="); k != name {
				kept = append(kept, item)
			}
		}
		labels.Content = kept
	}
}

// serviceLabel returns the value of one label of a service definition.
func (r *rancherReader) serviceLabel(svc *yaml.Node, name string) (rancherLabel, bool) {
	_, labels := child(svc, "labels")
	for _, l := range r.labelsOf(labels) {
		if l.name == name {
			return l, true
		}
	}
	return rancherLabel{}, false
}

// Rancher's labels (rancher.com/docs/rancher/v1.6/en/cattle/labels).
const (
	labelSidekicks        = "io.rancher.sidekicks"
	labelGlobal           = "io.rancher.scheduler.global"
	labelStartOnce        = "io.rancher.container.start_once"
	labelHostnameOverride = "io.rancher.container.hostname_override"
	labelAffinity         = "io.rancher.scheduler.affinity:"
	labelServiceName      = "io.rancher.stack_service.name"
)

// droppedLabels are Rancher labels that change nothing on Swarm, with why.
var droppedLabels = map[string]string{
	"io.rancher.container.pull_image":              "Swarm pulls the image when it creates a task and resolves its digest at each deploy",
	"io.rancher.container.dns":                     "every Swarm service uses Docker's DNS, which resolves the stack's services",
	"io.rancher.service.allocate.skip.serialize":   "Swarm allocates tasks itself",
	"io.rancher.scheduler.affinity:not_host_label": "Rancher has no such rule and ignored it too",
}

// refusedLabels are Rancher labels asking for what Swarm cannot do: the feature and
// what to do instead.
var refusedLabels = map[string]string{
	"io.rancher.container.agent.role": "Rancher agent role: the container called Rancher's API, which Swarm has not; " +
		"remove the service, or give it the Docker socket and rewrite it for the Docker API",
	"io.rancher.container.create_agent": "Rancher agent: the container called Rancher's API, which Swarm has not; " +
		"remove the service, or give it the Docker socket and rewrite it for the Docker API",
	"io.rancher.container.agent_service.drain_provider": "Rancher drain provider: Swarm drains nodes itself; remove the service",
	"io.rancher.container.requested_ip": "a fixed container address: Swarm assigns task addresses; " +
		"reach the service by its name",
}

// translateLabels translates the Rancher labels of one service definition. The mode
// labels go first: the hostname depends on the mode.
func (r *rancherReader) translateLabels(s *rancherService, svc *yaml.Node) {
	_, labels := child(svc, "labels")
	all := r.labelsOf(labels)
	for _, mode := range []string{labelGlobal, labelStartOnce} {
		for _, l := range all {
			switch {
			case l.name != mode:
			case mode == labelGlobal:
				r.globalLabel(s, svc, labels, l)
			default:
				r.startOnceLabel(s, svc, labels, l)
			}
		}
	}
	for _, l := range all {
		key := "labels." + l.name
		switch why, dropped := droppedLabels[l.name]; {
		case l.name == labelGlobal, l.name == labelStartOnce, l.name == labelSidekicks:
		case l.name == labelHostnameOverride:
			r.hostnameLabel(s, svc, labels, l)
		case strings.HasPrefix(l.name, labelAffinity):
			r.affinityLabel(s, svc, labels, l)
		case dropped:
			dropLabel(labels, l.name)
			r.warn(s, l.line, key, "Rancher label dropped: it changes nothing on Swarm (%s)", why)
		case refusedLabels[l.name] != "":
			r.refuse(s, l.line, key, "not supported on Swarm: %s", refusedLabels[l.name])
		case strings.HasPrefix(l.name, "io.rancher.loadbalancer.") && s.lb:
			// read as the balancer's rules (translateLoadBalancers)
		case strings.HasPrefix(l.name, "io.rancher.loadbalancer."):
			r.refuse(s, l.line, key, "not supported on Swarm: Rancher load balancer routing rule: "+
				"Swarm's routing mesh forwards ports, not host names or paths; run a reverse proxy (Traefik, nginx) as a service")
		case strings.HasPrefix(l.name, "io.rancher."):
			r.warn(s, l.line, key, "Rancher label unknown to EXOS: kept as a plain label, which Swarm gives no meaning")
		}
	}
}

// isTrue reads a Rancher boolean label as Rancher did.
func isTrue(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "true") }

// globalLabel: io.rancher.scheduler.global: 'true' is deploy.mode: global.
func (r *rancherReader) globalLabel(s *rancherService, svc, labels *yaml.Node, l rancherLabel) {
	dropLabel(labels, l.name)
	if !isTrue(l.value) {
		return
	}
	if r.setMode(s, svc, l, "global") {
		r.warn(s, l.line, "labels."+l.name, "Rancher global service: deploy.mode: global (one task on every node)")
	}
}

// startOnceLabel: io.rancher.container.start_once: 'true' runs the container to its end
// once: a job.
func (r *rancherReader) startOnceLabel(s *rancherService, svc, labels *yaml.Node, l rancherLabel) {
	dropLabel(labels, l.name)
	if !isTrue(l.value) {
		return
	}
	mode := "replicated-job"
	if s.mode == "global" {
		mode = "global-job"
	}
	if r.setMode(s, svc, l, mode) {
		r.warn(s, l.line, "labels."+l.name, "Rancher run-once container: deploy.mode: %s (Swarm runs each task to its end and does not restart it once it succeeded)", mode)
	}
}

// setMode sets deploy.mode, unless the file set another one.
func (r *rancherReader) setMode(s *rancherService, svc *yaml.Node, l rancherLabel, mode string) bool {
	deploy := childMap(svc, "deploy", l.line)
	if _, m := child(deploy, "mode"); m != nil && m.Value != mode && m.Value != s.mode {
		r.refuse(s, l.line, "labels."+l.name, "Rancher label asks for deploy.mode %s, and deploy.mode is %s: keep one", mode, m.Value)
		return false
	}
	setKey(deploy, "mode", strNode(mode, l.line))
	s.mode = mode
	return true
}

// hostnameLabel: io.rancher.container.hostname_override: container_name made the
// container's hostname its Rancher name, <stack>-<service>-<n>. A Swarm hostname template
// gives each task the same: the slot for a replicated service, the node for a global one.
func (r *rancherReader) hostnameLabel(s *rancherService, svc, labels *yaml.Node, l rancherLabel) {
	key := "labels." + l.name
	if l.value != "container_name" {
		r.refuse(s, l.line, key, "Rancher hostname override %q: Rancher knew only container_name", l.value)
		return
	}
	dropLabel(labels, l.name)
	if k, _ := child(svc, "hostname"); k != nil {
		r.warn(s, l.line, key, "Rancher hostname override dropped: the service sets hostname")
		return
	}
	per, what := "{{.Task.Slot}}", "the task's slot"
	if strings.HasPrefix(s.mode, "global") {
		per, what = "{{.Node.Hostname}}", "the node's hostname"
	}
	hostname := r.in.Stack + "-" + s.name + "-" + per
	setKey(svc, "hostname", strNode(hostname, l.line))
	r.warn(s, l.line, key, "Rancher hostname override: hostname %s, one per task as Rancher's container names were "+
		"(with %s); other services still reach it by its service name, not by this hostname", hostname, what)
}
