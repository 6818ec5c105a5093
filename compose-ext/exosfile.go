package composeext

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/go-viper/mapstructure/v2"
	"gopkg.in/yaml.v3"
)

// exosSource is where a service's EXOS keys were written: the file, the key path of the
// service entry in it and its node (for lines).
type exosSource struct {
	file string
	path string
	node *yaml.Node
}

// loadExos reads the EXOS keys of every service, from x-exos in the compose files and from
// the exos file (which wins key by key), and validates them. exosRoot is the exos file's
// tree from a Rancher reading, nil otherwise.
func loadExos(in Input, project *types.Project, files []composeFile, exosRoot *yaml.Node, ps *problems) map[string]ServiceExt {
	raw := map[string]map[string]any{}
	sources := map[string]exosSource{}
	for _, f := range files {
		_, services := child(f.root, "services")
		for _, svc := range pairs(services) {
			if _, node := child(svc.value, "x-exos"); node != nil {
				path := "services." + svc.key.Value + ".x-exos"
				checkExosKeys(f.Name, path, node, ps)
				sources[svc.key.Value] = exosSource{f.Name, path, node}
			}
		}
	}
	if project != nil {
		for name, svc := range project.Services {
			if x, ok := svc.Extensions["x-exos"].(map[string]any); ok {
				raw[name] = x
			}
		}
	}
	readExosFile(in, project, exosRoot, raw, sources, ps)
	out := map[string]ServiceExt{}
	for name, m := range raw {
		if ext, ok := decodeExt(m, sources[name], ps); ok {
			out[name] = ext
		}
	}
	return out
}

// readExosFile checks the exos file and merges its service entries over raw.
func readExosFile(in Input, project *types.Project, root *yaml.Node, raw map[string]map[string]any, sources map[string]exosSource, ps *problems) {
	if in.ExosFile == nil {
		return
	}
	name := in.ExosFile.Name
	var err error
	if root == nil {
		root, err = parseNode(in.ExosFile.Content)
	}
	if err != nil {
		ps.add(name, lineInMessage(err.Error()), "", "%s", yamlMessage(err))
		return
	}
	for _, p := range pairs(root) {
		switch p.key.Value {
		case "version", "services":
		case ".catalog":
			if p.value.Kind != yaml.MappingNode {
				ps.add(name, p.key.Line, ".catalog", "must be a mapping")
			}
		default:
			ps.add(name, p.key.Line, p.key.Value, "unknown key (service entries go under services:)")
		}
	}
	_, services := child(root, "services")
	checkVariables(name, services, in, ps)
	interpolateNode(services, in)
	for _, svc := range pairs(services) {
		path := "services." + svc.key.Value
		if project != nil {
			if _, ok := project.Services[svc.key.Value]; !ok {
				ps.add(name, svc.key.Line, path, "service not found in the compose files")
				continue
			}
		}
		checkExosKeys(name, path, svc.value, ps)
		var m map[string]any
		if err := svc.value.Decode(&m); err != nil {
			ps.add(name, svc.key.Line, path, "must be a mapping")
			continue
		}
		raw[svc.key.Value] = mergeMaps(raw[svc.key.Value], m)
		sources[svc.key.Value] = exosSource{name, path, svc.value}
	}
}

// exosCatalog returns the raw .catalog block of the exos file, or nil.
func exosCatalog(in Input) map[string]any {
	if in.ExosFile == nil {
		return nil
	}
	var doc struct {
		Catalog map[string]any `yaml:".catalog"`
	}
	if err := yaml.Unmarshal(in.ExosFile.Content, &doc); err != nil {
		return nil
	}
	return doc.Catalog
}

// interpolateNode substitutes variables in every string scalar; missing ones were
// reported by checkVariables.
func interpolateNode(n *yaml.Node, in Input) {
	walkScalars(n, "", func(_ string, s *yaml.Node) {
		if v, err := substitute(s.Value, in); err == nil {
			s.Value = v
		}
	})
}

// mergeMaps merges override into base recursively (override wins), without changing either.
func mergeMaps(base, override map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(override))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range override {
		b, bok := out[k].(map[string]any)
		o, ook := v.(map[string]any)
		if bok && ook {
			out[k] = mergeMaps(b, o)
			continue
		}
		out[k] = v
	}
	return out
}

// decodeExt decodes weakly (interpolated numbers are strings) and validates. Unknown keys
// were already reported with their lines by checkExosKeys.
func decodeExt(m map[string]any, src exosSource, ps *problems) (ServiceExt, bool) {
	var ext ServiceExt
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		WeaklyTypedInput: true,
		DecodeHook:       mapstructure.ComposeDecodeHookFunc(mapstructure.StringToTimeDurationHookFunc(), wholeNumbers),
		Result:           &ext,
	})
	if err == nil {
		err = dec.Decode(m)
	}
	if err != nil {
		for _, msg := range strings.Split(err.Error(), "\n") {
			if msg = strings.TrimSpace(strings.TrimPrefix(msg, "* ")); msg != "" && !strings.HasPrefix(msg, "decoding failed") {
				key := quotedKey(msg)
				ps.add(src.file, lineOf(src.node, key), joinPath(src.path, key), "%s", msg)
			}
		}
		return ext, false
	}
	errs := ext.normalize()
	for _, fe := range errs {
		ps.add(src.file, lineOf(src.node, fe.key), src.path+"."+fe.key, "%s", fe.msg)
	}
	return ext, len(errs) == 0
}

// wholeNumbers refuses what the weak decode would bend silently: a negative number into
// an unsigned field (scale: -1 would become 18446744073709551615 replicas, which Swarm
// refuses as more than MaxInt64: controlapi/service.go validateMode) or one over MaxInt64,
// and a fraction into an integer field (scale: 1.5 would become 1). Durations take
// nanoseconds and are left alone.
func wholeNumbers(_, to reflect.Type, data any) (any, error) {
	for to.Kind() == reflect.Pointer {
		to = to.Elem()
	}
	unsigned := to.Kind() >= reflect.Uint && to.Kind() <= reflect.Uint64
	signed := to.Kind() >= reflect.Int && to.Kind() <= reflect.Int64
	if (!unsigned && !signed) || to == reflect.TypeOf(time.Duration(0)) {
		return data, nil
	}
	v := reflect.ValueOf(data)
	switch {
	case v.CanInt() && unsigned && v.Int() < 0,
		v.CanFloat() && unsigned && v.Float() < 0:
		return nil, fmt.Errorf("must be 0 or more, not %v", data)
	case v.CanUint() && v.Uint() > math.MaxInt64:
		return nil, fmt.Errorf("must be at most %d, not %v", int64(math.MaxInt64), data)
	case v.CanFloat() && v.Float() != math.Trunc(v.Float()):
		return nil, fmt.Errorf("must be a whole number, not %v", data)
	}
	return data, nil
}

// quotedKey extracts the key mapstructure names in 'quotes' at the start of a message.
func quotedKey(msg string) string {
	if _, rest, ok := strings.Cut(msg, "'"); ok {
		if key, _, ok := strings.Cut(rest, "'"); ok {
			return key
		}
	}
	return ""
}
