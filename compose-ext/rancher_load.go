package composeext

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// With Input.Rancher, the files are read as Rancher 1.6 read a catalog template, then
// rewritten into what `docker stack deploy` takes, before the usual loading:
//   - the layouts Rancher took: compose v1 (no version:, services at the top level) and
//     v2, rancher-compose.yml in v1 layout or under services:, its catalog: block;
//   - what yaml.v2 took: keys given twice (the last wins), strings where a boolean or a
//     number is due (rendered .tpl output: tty: "true");
//   - Rancher's keys and labels: what Swarm can express is translated (sidekicks holding
//     only data, scheduling labels, run-once containers, load balancers that only publish
//     ports...), each translation a warning, so that --strict refuses it; what Swarm
//     cannot do is a problem naming the Rancher feature and what to do instead.
//
// Off, nothing here runs: Load takes exactly what `docker stack deploy` takes.

// rancherTrees are the rewritten trees, with the lines of the files as written: one per
// compose file (nil for a file that does not parse: compose-go reports it), and the exos
// file's (nil without one, or when it does not parse).
type rancherTrees struct {
	compose []*yaml.Node
	exos    *yaml.Node
}

// rancherReader holds one Rancher reading of an input.
type rancherReader struct {
	in       Input
	ps       *problems
	files    []*rancherFile // the compose files
	exos     *rancherFile   // the rancher-compose.yml, nil without one
	services map[string]*rancherService
	order    []string // service names in file order
	// volumeDrivers are the volume_driver of the data containers whose named volumes
	// other services now mount, by volume.
	volumeDrivers map[string]string
	// madeVolumes are the volumes named for data containers (declared without a word:
	// the volumes_from warning said it).
	madeVolumes map[string]bool
	// hostNetwork is, by file, the line of the first service that joined the node's host
	// network (net: host), which the file then declares.
	hostNetwork map[*rancherFile]int
}

// rancherFile is one file and its tree.
type rancherFile struct {
	name     string
	root     *yaml.Node // nil when the file does not parse
	services *yaml.Node // its services mapping, nil without
}

// rancherService is one service: its last definition in the compose files and its entry
// in the rancher-compose file.
type rancherService struct {
	name string
	file *rancherFile
	node *yaml.Node // the service's mapping
	exos *yaml.Node // its rancher-compose entry, nil without one
	line int        // of its key
	// mode is the deploy mode the translation gave (replicated when empty).
	mode string
	// dropped says the service was translated away (a load balancer, a data container).
	dropped bool
	// lb says it is a Rancher load balancer (its labels are the balancer's rules).
	lb bool
	// volumeDriver is its volume_driver, for the named volumes it uses.
	volumeDriver string
}

// readRancher reads the input as Rancher read a catalog template and returns it rewritten
// (the files encoded again for compose-go) with the rewritten trees.
func readRancher(in Input, ps *problems) (Input, rancherTrees) {
	r := &rancherReader{in: in, ps: ps, services: map[string]*rancherService{},
		volumeDrivers: map[string]string{}, madeVolumes: map[string]bool{}, hostNetwork: map[*rancherFile]int{}}
	r.parse()
	r.translateLoadBalancers()
	r.translateSidekicks()
	for _, name := range r.order {
		if s := r.services[name]; !s.dropped {
			r.translateService(s)
		}
	}
	r.translateLinks()
	r.translateExos()
	r.declare()
	return r.output()
}

// parse reads every file into the Rancher layouts.
func (r *rancherReader) parse() {
	for _, f := range r.in.ComposeFiles {
		rf := &rancherFile{name: f.Name}
		if root, err := parseNode(f.Content); err == nil {
			rf.root = root
			composeLayout(root)
			dedupeKeys(f.Name, "", root, r.ps)
			_, rf.services = child(root, "services")
			r.addServices(rf)
		}
		r.files = append(r.files, rf)
	}
	if r.in.ExosFile == nil {
		return
	}
	rf := &rancherFile{name: r.in.ExosFile.Name}
	if root, err := parseNode(r.in.ExosFile.Content); err == nil {
		rf.root = root
		exosLayout(rf.name, root, r.ps)
		dedupeKeys(rf.name, "", root, r.ps)
		_, rf.services = child(root, "services")
		for _, p := range pairs(rf.services) {
			if s := r.services[p.key.Value]; s != nil {
				s.exos = p.value
			}
		}
	}
	r.exos = rf
}

// addServices indexes a compose file's services; a later file's definition wins.
func (r *rancherReader) addServices(f *rancherFile) {
	for _, p := range pairs(f.services) {
		if p.value.Kind != yaml.MappingNode {
			continue
		}
		name := p.key.Value
		if r.services[name] == nil {
			r.order = append(r.order, name)
		}
		r.services[name] = &rancherService{name: name, file: f, node: p.value, line: p.key.Line}
	}
}

// composeLayout turns a compose v1 file (no version:, no services:, the services at the
// top level) into the v3 layout, and drops a v1 or v2 `version:` (Rancher's files are read
// with the v3 schema docker gives a file without one; a 3.x version stays, as docker reads
// it).
func composeLayout(root *yaml.Node) {
	if _, v := child(root, "version"); v != nil && (strings.HasPrefix(v.Value, "1") || strings.HasPrefix(v.Value, "2")) {
		deleteKey(root, "version")
	}
	if k, _ := child(root, "services"); k != nil {
		return
	}
	if k, _ := child(root, "version"); k != nil {
		return
	}
	services := mapNode(1)
	if len(root.Content) > 0 {
		services.Line = root.Content[0].Line
	}
	services.Content, root.Content = root.Content, nil
	setKey(root, "services", services)
	root.Content[0].Line = services.Line
}

// exosLayout does the same for rancher-compose.yml: service entries at the top level
// (v1) go under services:, and catalog: is the .catalog block.
func exosLayout(file string, root *yaml.Node, ps *problems) {
	if k, _ := child(root, "catalog"); k != nil {
		if dot, _ := child(root, ".catalog"); dot != nil {
			ps.warn(file, dot.Line, ".catalog", "both .catalog (line %d) and catalog (line %d): catalog is used, as Rancher read the file", dot.Line, k.Line)
			deleteKey(root, ".catalog")
		}
		k.Value = ".catalog"
	}
	if k, _ := child(root, "services"); k != nil {
		return
	}
	services := mapNode(1)
	kept := root.Content[:0:0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if k.Value == "version" || k.Value == ".catalog" {
			kept = append(kept, k, root.Content[i+1])
			continue
		}
		if len(services.Content) == 0 {
			services.Line = k.Line
		}
		services.Content = append(services.Content, k, root.Content[i+1])
	}
	root.Content = kept
	if len(services.Content) > 0 {
		setKey(root, "services", services)
	}
}

// output encodes the rewritten trees for compose-go.
func (r *rancherReader) output() (Input, rancherTrees) {
	out := r.in
	trees := rancherTrees{compose: make([]*yaml.Node, len(r.files))}
	out.ComposeFiles = make([]File, len(r.in.ComposeFiles))
	for i, f := range r.files {
		out.ComposeFiles[i] = r.in.ComposeFiles[i]
		if f.root == nil {
			continue
		}
		r.coerceTypes(f)
		if content, err := encodeTree(f.root); err == nil {
			out.ComposeFiles[i].Content = content
			trees.compose[i] = f.root
		}
	}
	if r.exos != nil && r.exos.root != nil {
		if content, err := encodeTree(r.exos.root); err == nil {
			exos := *r.in.ExosFile
			exos.Content = content
			out.ExosFile = &exos
			trees.exos = r.exos.root
		}
	}
	return out, trees
}

// value is a scalar's value interpolated (a variable that fails is reported by
// checkVariables; its raw value is used here).
func (r *rancherReader) value(n *yaml.Node) string {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	if v, err := substitute(n.Value, r.in); err == nil {
		return v
	}
	return n.Value
}

// path is the key path of a service's key (of the service itself for "").
func (s *rancherService) path(key string) string {
	if key == "" {
		return "services." + s.name
	}
	return "services." + s.name + "." + key
}

// warn records a warning on a service's key.
func (r *rancherReader) warn(s *rancherService, line int, key, format string, args ...any) {
	r.ps.warn(s.file.name, line, s.path(key), format, args...)
}

// refuse records a problem on a service's key.
func (r *rancherReader) refuse(s *rancherService, line int, key, format string, args ...any) {
	r.ps.add(s.file.name, line, s.path(key), format, args...)
}

// exosWarn records a warning on a service's rancher-compose key.
func (r *rancherReader) exosWarn(s *rancherService, line int, key, format string, args ...any) {
	r.ps.warn(r.exos.name, line, s.path(key), format, args...)
}
