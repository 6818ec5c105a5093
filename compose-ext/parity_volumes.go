package composeext

import (
	"path"
	"slices"
	"strings"
	"unicode"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/mount"
	"gopkg.in/yaml.v3"
)

// matchVolumes makes the service's volumes what docker/cli's loader makes of them, from
// the files' node trees (interpolated): compose-go cleans targets (/etc/app/ becomes
// /etc/app), docker keeps them and Swarm stores what it is sent; and compose-go gives
// every bind a bind block (create_host_path), where docker has one only when the file
// writes one (long syntax) or a propagation option (short syntax), and only then sends
// BindOptions.
func matchVolumes(svc *types.ServiceConfig, in Input, files []composeFile) {
	done := make([]bool, len(svc.Volumes))
	for _, raw := range rawVolumes(svc.Name, in, files) {
		for i, v := range svc.Volumes {
			if done[i] || v.Target != path.Clean(raw.target) {
				continue
			}
			done[i] = true
			svc.Volumes[i].Target = raw.target
			if v.Type == types.VolumeTypeBind && !raw.bind {
				svc.Volumes[i].Bind = nil
			} else if v.Bind != nil {
				b := *v.Bind
				b.CreateHostPath = false
				svc.Volumes[i].Bind = &b
			}
			break
		}
	}
}

// rawVolume is a service volume as written: its target, and whether docker's loader
// gives it bind options.
type rawVolume struct {
	target string
	bind   bool
}

// rawVolumes lists a service's volumes in every file that has them, later files last.
func rawVolumes(service string, in Input, files []composeFile) []rawVolume {
	var out []rawVolume
	for i := len(files) - 1; i >= 0; i-- {
		_, services := mergedChild(files[i].root, "services")
		_, svc := mergedChild(services, service)
		_, vols := mergedChild(svc, "volumes")
		if vols == nil || vols.Kind != yaml.SequenceNode {
			continue
		}
		for _, v := range vols.Content {
			if raw, ok := rawVolumeOf(resolveAlias(v), in); ok {
				out = append(out, raw)
			}
		}
	}
	return out
}

func rawVolumeOf(v *yaml.Node, in Input) (rawVolume, bool) {
	if v.Kind == yaml.MappingNode {
		_, t := mergedChild(v, "target")
		b, _ := mergedChild(v, "bind")
		if t == nil || t.Kind != yaml.ScalarNode {
			return rawVolume{}, false
		}
		target, err := substitute(t.Value, in)
		return rawVolume{target: target, bind: b != nil}, err == nil && target != ""
	}
	spec, err := substitute(v.Value, in)
	if err != nil || v.Kind != yaml.ScalarNode {
		return rawVolume{}, false
	}
	target, options := dockerVolumeFields(spec)
	return rawVolume{target: target, bind: hasPropagation(options)}, target != ""
}

func hasPropagation(options string) bool {
	for _, o := range strings.Split(options, ",") {
		if slices.Contains(mount.Propagations, mount.Propagation(o)) {
			return true
		}
	}
	return false
}

// dockerVolumeFields are the target and the options docker/cli's volumespec.Parse finds
// in a short-syntax volume ("src:target:options", "target" alone, Windows drive letters
// kept whole).
func dockerVolumeFields(spec string) (target, options string) {
	if len(spec) <= 2 {
		return spec, ""
	}
	var fields []string
	var buf []rune
	for _, c := range spec + "\x00" {
		switch {
		case c == ':' && len(buf) == 1 && unicode.IsLetter(buf[0]):
			buf = append(buf, c)
		case c == ':' || c == 0:
			fields = append(fields, string(buf))
			buf = buf[:0]
		default:
			buf = append(buf, c)
		}
	}
	switch len(fields) {
	case 1:
		return fields[0], ""
	case 2:
		return fields[1], ""
	}
	return fields[1], fields[2]
}
