package composeext

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// The rancher-compose.yml service keys: those EXOS reads (scale, health_check,
// upgrade_strategy, scale_policy) stay for loadExos; Rancher's that change nothing a
// Swarm service can do are dropped with a warning; the others stay and are refused by
// checkExosKeys (rancherOnly), or here when the refusal needs Rancher's words.

// translateExos rewrites the rancher-compose service entries.
func (r *rancherReader) translateExos() {
	if r.exos == nil || r.exos.root == nil {
		return
	}
	for _, p := range pairs(r.exos.services) {
		s := r.services[p.key.Value]
		switch {
		case p.value.Tag == "!!null":
			deleteKey(r.exos.services, p.key.Value) // an empty entry, as yaml.v2 read it
		case s == nil || p.value.Kind != yaml.MappingNode:
			// loadExos reports it
		case s.dropped:
			deleteKey(r.exos.services, s.name)
		default:
			r.translateExosEntry(s, p.value)
		}
	}
}

func (r *rancherReader) translateExosEntry(s *rancherService, entry *yaml.Node) {
	for _, p := range pairs(entry) {
		k, line := p.key.Value, p.key.Line
		switch k {
		case "start_on_create":
			deleteKey(entry, k)
			r.exosWarn(s, line, k, "start_on_create dropped: Swarm starts every service it creates")
		case "retain_ip":
			deleteKey(entry, k)
			r.exosWarn(s, line, k, "retain_ip dropped: Swarm gives a replaced task a new address; "+
				"the service's name and virtual IP stay, reach it by them")
		case "metadata":
			deleteKey(entry, k)
			r.ps.add(r.exos.name, line, s.path(k), "not supported on Swarm: Rancher metadata: there is no metadata service on Swarm; "+
				"give the values as environment variables or configs")
		case "lb_config", "load_balancer_config":
			if s.lb {
				deleteKey(entry, k) // the balancer's rules, which translateLoadBalancers refused
			}
		case "health_check":
			r.healthCheck(s, p.value, line)
		case "scale":
			r.scale(s, entry, p)
		case "upgrade_strategy":
			if strings.HasSuffix(s.mode, "job") {
				deleteKey(entry, k)
				r.exosWarn(s, line, k, "upgrade_strategy dropped: a job is not updated, it runs again")
			}
		}
	}
}

// scale: a global service has no replicas (one task a node, as Rancher ignored scale for
// global services); a job's scale is its number of tasks (deploy.replicas).
func (r *rancherReader) scale(s *rancherService, entry *yaml.Node, p pair) {
	switch {
	case strings.HasPrefix(s.mode, "global"):
		deleteKey(entry, "scale")
		r.exosWarn(s, p.key.Line, "scale", "scale dropped: a global service runs one task on every node")
	case s.mode == "replicated-job":
		deleteKey(entry, "scale")
		replicas := *p.value
		replicas.Line = s.line // in the compose file, at the service
		setKey(childMap(s.node, "deploy", s.line), "replicas", &replicas)
	}
}

// healthCheck reads Rancher's request_line forms (GET "/" "HTTP/1.0", /ping, GET / #
// comment...) into the one checkExosKeys and toSwarm take, and says where the check
// runs.
func (r *rancherReader) healthCheck(s *rancherService, hc *yaml.Node, line int) {
	if hc.Kind != yaml.MappingNode {
		return
	}
	k, v := child(hc, "request_line")
	if v != nil && v.Kind == yaml.ScalarNode {
		words := requestWords(r.value(v))
		switch {
		case len(words) == 0:
			deleteKey(hc, "request_line")
		case len(words) == 1 && strings.HasPrefix(words[0], "/"):
			words = []string{"GET", words[0]}
		}
		if len(words) >= 2 && strings.HasPrefix(words[1], "/") {
			path, _, _ := strings.Cut(words[1], "#")
			if words[0] != "GET" && words[0] != "HEAD" {
				r.exosWarn(s, k.Line, "health_check.request_line", "health check request %s %s is made as GET %s", words[0], words[1], path)
			}
			setKey(hc, "request_line", strNode("GET "+path+" HTTP/1.0", v.Line))
		}
	}
	_, port := child(hc, "port")
	what := "nc -z 127.0.0.1 " + r.value(port)
	if _, rl := child(hc, "request_line"); rl != nil {
		what = "wget"
		if words := strings.Fields(rl.Value); len(words) >= 2 {
			what = "wget -q -O- http://127.0.0.1:" + r.value(port) + words[1]
		}
	}
	r.exosWarn(s, line, "health_check", "Rancher health check: a container healthcheck running %s inside the container "+
		"(Rancher checked from outside): the image must have it", what)
}

// requestWords splits a request line into words, quotes taken away.
func requestWords(line string) []string {
	var words []string
	for _, w := range strings.Fields(line) {
		if w = strings.Trim(w, `"'`); w != "" {
			words = append(words, w)
		}
	}
	return words
}
