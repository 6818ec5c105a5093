package composeext

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"
)

// The preflight refuses, before anything is written to the swarm, every converted spec
// the Engine would refuse: a deploy applies networks, configs and secrets before the
// services, so a refusal found only by the Engine leaves a stack half-applied. Each check
// mirrors a rule of swarmkit's manager/controlapi or of the daemon (the file and function
// are named beside it) with the same limits. What only the live swarm can tell (ports
// held by other stacks, external objects, plugins, node resources) is checked by the
// manager, not here.

// preflight is one pass over a converted stack. Problems point at the compose key that
// produced the refused value.
type preflight struct {
	p    *types.Project
	in   Input
	st   *Stack
	ns   namespace
	exos *yaml.Node // the exos file's tree, nil without one
	ps   *problems
}

// checkPreflight runs every check on the converted stack.
func checkPreflight(p *types.Project, in Input, st *Stack, ps *problems) {
	c := &preflight{p: p, in: in, st: st, ns: namespace(in.Stack), ps: ps}
	if in.ExosFile != nil {
		c.exos, _ = parseNode(in.ExosFile.Content)
	}
	if len(st.Services) == 0 {
		c.problem("services", "no services: a stack needs at least one service")
	}
	c.names()
	c.sizes()
	c.networks()
	c.ports()
	for _, svc := range st.Services {
		c.mode(svc)
		c.updates(svc)
		c.resources(svc)
		c.restartPolicy(svc)
		c.healthcheck(svc)
		c.placement(svc)
		c.templates(svc)
	}
}

// problem records a problem on key, at the line of the file that sets it.
func (c *preflight) problem(key, format string, args ...any) {
	at := c.st.Locate(key)
	c.ps.add(at.File, at.Line, key, format, args...)
}

// warn records a warning on key: Swarm takes the value but it cannot do what it says.
func (c *preflight) warn(key, format string, args ...any) {
	at := c.st.Locate(key)
	c.ps.warn(at.File, at.Line, key, format, args...)
}

// exosProblem records a problem on an EXOS key of a service: in the exos file when it
// sets the key (it wins over x-exos), else under the service's x-exos.
func (c *preflight) exosProblem(service, key, format string, args ...any) {
	path := "services." + service + "." + key
	if c.exos != nil && setIn(c.exos, path) {
		c.ps.add(c.in.ExosFile.Name, lineOf(c.exos, path), path, format, args...)
		return
	}
	c.problem("services."+service+".x-exos."+key, format, args...)
}

// setIn reports whether the tree holds the whole dotted path (lineOf stops at the
// deepest part it finds, which then is also the line of the parent).
func setIn(root *yaml.Node, path string) bool {
	line := lineOf(root, path)
	return line > 0 && line != lineOf(root, path[:max(strings.LastIndex(path, "."), 0)])
}

// serviceKey is the key of a service's setting.
func serviceKey(svc Service, key string) string {
	return "services." + svc.Name + "." + key
}

// objectRef is a service or top-level object in the compose files (kind networks, key
// front), and whether its name was set by `name:` rather than made from the stack and
// the key.
type objectRef struct {
	kind, key string
	named     bool
}

// path is the object's key path.
func (r objectRef) path() string {
	return r.kind + "." + r.key
}

// nameProblem records a problem with the object's name, on its `name:` when set. The
// line is looked up key by key: compose allows dots in keys, which a dotted path cannot
// address (and a dot is what Swarm refuses in a service name).
func (c *preflight) nameProblem(r objectRef, format string, args ...any) {
	key := r.path()
	if r.named {
		key += ".name"
	}
	file, line := "", 0
	if len(c.st.files) > 0 {
		file = c.st.files[len(c.st.files)-1].Name
	}
	for i := len(c.st.files) - 1; i >= 0; i-- {
		_, objs := child(c.st.files[i].root, r.kind)
		k, v := child(objs, r.key)
		if k == nil {
			continue
		}
		if n, _ := child(v, "name"); r.named && n != nil {
			file, line = c.st.files[i].Name, n.Line
			break
		}
		if line == 0 {
			file, line = c.st.files[i].Name, k.Line
		}
		if !r.named {
			break
		}
	}
	c.ps.add(file, line, key, format, args...)
}

// objectRefs maps the full names of the objects of one kind to their compose keys, as
// the converter names them: `name:` when set, else <stack>_<key>.
func objectRefs[T any](kind string, ns namespace, objs map[string]T, nameOf func(T) string) map[string]objectRef {
	out := make(map[string]objectRef, len(objs))
	for key, obj := range objs {
		name := nameOf(obj)
		named := name != "" && name != ns.scope(key)
		if name == "" {
			name = ns.scope(key)
		}
		out[name] = objectRef{kind: kind, key: key, named: named}
	}
	return out
}

// networkRefs also maps the implicit default network, which the file may not declare.
func (c *preflight) networkRefs() map[string]objectRef {
	refs := objectRefs("networks", c.ns, c.p.Networks, func(n types.NetworkConfig) string { return n.Name })
	if _, ok := refs[c.ns.scope(defaultNetwork)]; !ok {
		refs[c.ns.scope(defaultNetwork)] = objectRef{kind: "networks", key: defaultNetwork}
	}
	return refs
}
