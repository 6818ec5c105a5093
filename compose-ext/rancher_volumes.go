package composeext

import (
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Compose v1 has no top-level volumes: a service names a volume and Rancher made it
// (with the service's volume_driver). The Rancher reading declares every named volume a
// service uses and no file declares, and the node's host network services joined.

// declare adds the top-level volumes and networks the translations need.
func (r *rancherReader) declare() {
	declared := map[string]bool{}
	for _, f := range r.files {
		_, vols := child(f.root, "volumes")
		for _, p := range pairs(vols) {
			declared[p.key.Value] = true
		}
	}
	for _, f := range r.files {
		if f.root == nil {
			continue
		}
		for _, name := range r.order {
			s := r.services[name]
			if k, def := child(f.services, name); def != nil && !s.dropped {
				d := &rancherService{name: name, file: f, node: def, line: k.Line, volumeDriver: s.volumeDriver}
				r.declareVolumes(d, declared)
			}
		}
		r.declareNetworks(f)
		r.perContainer(f)
	}
}

// perContainer translates per_container: true. Rancher made such a volume once per
// container; a Swarm volume name template makes it once per task: by slot (a task that
// replaces another gets its volume back), by node for a global service.
func (r *rancherReader) perContainer(f *rancherFile) {
	_, vols := child(f.root, "volumes")
	for _, p := range pairs(vols) {
		k, v := deleteKey(p.value, "per_container")
		if k == nil || !isTrue(r.value(v)) {
			continue
		}
		key := "volumes." + p.key.Value + ".per_container"
		if n, _ := child(p.value, "name"); n != nil {
			r.ps.add(f.name, k.Line, key, "Rancher per-container volume with a name: a per-container volume is named for its container; remove name")
			continue
		}
		per, what := "{{.Task.Slot}}", "slot"
		for _, name := range r.order {
			if s := r.services[name]; !s.dropped && strings.HasPrefix(s.mode, "global") && slices.Contains(r.volumeNames(s.node), p.key.Value) {
				per, what = "{{.Node.ID}}", "node"
			}
		}
		name := "{{.Service.Name}}-" + p.key.Value + "-" + per
		setKey(p.value, "name", strNode(name, k.Line))
		r.ps.warn(f.name, k.Line, key, "Rancher per-container volume: name %s, one volume per service and task %s", name, what)
	}
}

// volumeNames lists the named volumes a service definition mounts.
func (r *rancherReader) volumeNames(svc *yaml.Node) []string {
	_, vols := child(svc, "volumes")
	var out []string
	for _, item := range scalarValues(vols) {
		if src, _, _ := splitVolume(r.value(item)); isVolumeName(src) {
			out = append(out, src)
		}
	}
	return out
}

// declareVolumes declares the named volumes one service definition uses.
func (r *rancherReader) declareVolumes(s *rancherService, declared map[string]bool) {
	k, vols := child(s.node, "volumes")
	if vols == nil || vols.Kind != yaml.SequenceNode {
		return
	}
	named := 0
	for i, item := range vols.Content {
		src := ""
		if item.Kind == yaml.ScalarNode {
			src, _, _ = splitVolume(r.value(item))
		} else if _, typ := child(item, "type"); r.value(typ) == "volume" {
			_, v := child(item, "source")
			src = r.value(v)
		}
		if !isVolumeName(src) {
			continue
		}
		named++
		if declared[src] {
			continue
		}
		declared[src] = true
		driver := r.volumeDrivers[src]
		if driver == "" {
			driver = s.volumeDriver
		}
		top := childMap(s.file.root, "volumes", item.Line)
		def := mapNode(item.Line)
		how := "declared"
		if driver != "" {
			setKey(def, "driver", strNode(driver, item.Line))
			how += " with driver " + driver + " (volume_driver)"
		}
		setKey(top, src, def)
		if r.madeVolumes[src] && driver == "" {
			continue
		}
		r.warn(s, item.Line, "volumes."+strconv.Itoa(i), "named volume %q is not declared (compose v1 has no top-level volumes): %s", src, how)
	}
	if s.volumeDriver != "" && named == 0 && k != nil {
		r.warn(s, k.Line, "volumes", "volume_driver %s dropped: it applies to named volumes, and the service has none "+
			"(its anonymous volumes use the local driver)", s.volumeDriver)
	}
}

// declareNetworks declares the node's host network, when the file's services joined it,
// as an external network of that name.
func (r *rancherReader) declareNetworks(f *rancherFile) {
	line, joined := r.hostNetwork[f]
	if !joined {
		return
	}
	top := childMap(f.root, "networks", line)
	if k, _ := child(top, "host"); k != nil {
		return // the file declares it: the usual checks apply
	}
	def := mapNode(line)
	setKey(def, "external", typedNode("!!bool", "true", line))
	setKey(def, "name", strNode("host", line))
	setKey(top, "host", def)
}
