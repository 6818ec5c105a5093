package composeext

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// A service that mounts a data-volume container's volumes (volumes_from) gets them as
// volumes of its own: the container's named volumes and binds as they are, its anonymous
// volumes named for it.

// mountVolumesFrom mounts the volumes of the data containers a service names in
// volumes_from, and refuses the other entries.
func (r *rancherReader) mountVolumesFrom(s *rancherService, data map[string]bool) {
	k, v := deleteKey(s.node, "volumes_from")
	if k == nil {
		return
	}
	var mounted []string
	for _, vf := range r.volumesFromOf(&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{k, v}}) {
		switch src := r.services[vf.service]; {
		case vf.service == "":
			r.refuse(s, vf.line, "volumes_from", "not supported on Swarm: volumes_from %s: a Swarm service cannot mount a container's volumes; "+
				"use a named volume", vf.raw)
		case src == nil:
			r.refuse(s, vf.line, "volumes_from", "volumes_from %s: no such service", vf.raw)
		case !data[vf.service]:
			r.refuse(s, vf.line, "volumes_from", "not supported on Swarm: volumes_from %s: a Swarm service cannot mount another service's volumes, "+
				"and %s is more than a data-volume container (it runs %s); share a named volume instead", vf.raw, vf.service, r.imageName(src.node))
		default:
			mounted = append(mounted, r.mountData(s, src, vf)...)
		}
	}
	if len(mounted) > 0 {
		r.warn(s, k.Line, "volumes_from", "Rancher volumes_from a data-volume container: the service mounts its volumes: %s "+
			"(each node keeps its own named volume, as each Rancher host kept its container's)", strings.Join(mounted, ", "))
	}
}

// mountData adds the volumes of data container k to service s and returns them.
func (r *rancherReader) mountData(s, k *rancherService, vf volumesFrom) []string {
	_, vols := child(k.node, "volumes")
	anonymous := 0
	for _, item := range vols.Content {
		if item.Kind == yaml.ScalarNode && !strings.Contains(r.value(item), ":") {
			anonymous++
		}
	}
	_, driver := child(k.node, "volume_driver")
	target := childSeq(s.node, "volumes", vf.line)
	var out []string
	for _, item := range vols.Content {
		if item.Kind != yaml.ScalarNode {
			moved := *item
			target.Content = append(target.Content, &moved)
			out = append(out, "(a long-syntax volume)")
			continue
		}
		spec := r.value(item)
		src, dst, mode := splitVolume(spec)
		if src != "" && (mode != "" || !vf.readOnly) {
			moved := *item // as written, so that its variables are still checked
			target.Content = append(target.Content, &moved)
			r.noteDriver(src, driver)
			out = append(out, spec)
			continue
		}
		if src == "" { // anonymous: named for the data container
			src = k.name
			if anonymous > 1 {
				src += "-" + strings.ReplaceAll(strings.Trim(dst, "/"), "/", "-")
			}
		}
		if mode == "" && vf.readOnly {
			mode = "ro"
		}
		spec = src + ":" + dst
		if mode != "" {
			spec += ":" + mode
		}
		r.noteDriver(src, driver)
		r.madeVolumes[src] = true
		target.Content = append(target.Content, strNode(spec, item.Line))
		out = append(out, spec)
	}
	return out
}

// noteDriver records the volume_driver of the data container a named volume came from.
func (r *rancherReader) noteDriver(src string, driver *yaml.Node) {
	if isVolumeName(src) && driver != nil {
		r.volumeDrivers[src] = r.value(driver)
	}
}

// splitVolume splits a short-syntax volume: source (empty for an anonymous volume),
// target and mode.
func splitVolume(spec string) (string, string, string) {
	parts := strings.SplitN(spec, ":", 3)
	switch len(parts) {
	case 1:
		return "", parts[0], ""
	case 2:
		return parts[0], parts[1], ""
	}
	return parts[0], parts[1], parts[2]
}

// isVolumeName reports whether a short-syntax source names a volume rather than a path.
func isVolumeName(src string) bool {
	return src != "" && !strings.ContainsAny(src[:1], "/.~$") && !strings.Contains(src, "/")
}

// dropService removes a service that was translated away from every compose file.
func (r *rancherReader) dropService(s *rancherService) {
	s.dropped = true
	for _, f := range r.files {
		deleteKey(f.services, s.name)
	}
}
