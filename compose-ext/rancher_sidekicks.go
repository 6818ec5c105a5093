package composeext

import (
	"slices"
	"strings"

	"github.com/distribution/reference"
	"gopkg.in/yaml.v3"
)

// Rancher sidekicks are containers scheduled with their primary as one unit, and
// volumes_from mounts another container's volumes. Swarm has neither. One use of them
// does translate, and the catalogs use it most: a data-volume container, a sidekick that
// only holds volumes for its primary (busybox running /bin/true, start_once) so that they
// outlive upgrades of the primary. A named volume does the same on Swarm: the primary
// mounts the data container's volumes as named volumes (an anonymous one gets the data
// container's name), and the data container goes. Every other sidekick runs a process
// beside its primary (a confd writing its configuration, a second server), which Swarm
// cannot co-schedule: refused.

// trivialImages are images whose default command exits at once and that hold nothing at
// the paths of a data container's volumes.
var trivialImages = []string{"busybox", "alpine"}

// isDataContainer reports whether a service only holds volumes for the services that
// mount them (users): it has volumes, runs nothing (an entrypoint or command /bin/true, or
// a trivial image's own shell), and its image seeds the volumes as the users' image would
// (a trivial image, or theirs: a fresh named volume takes the content of the image that
// mounts it). A sidekick that chowns, copies or configures is more than that.
func (r *rancherReader) isDataContainer(k *rancherService, users []*rancherService) bool {
	_, vols := child(k.node, "volumes")
	if vols == nil || vols.Kind != yaml.SequenceNode || len(vols.Content) == 0 {
		return false
	}
	_, entrypoint := child(k.node, "entrypoint")
	_, cmd := child(k.node, "command")
	image := r.imageName(k.node)
	switch {
	case entrypoint != nil && r.runsTrue(entrypoint):
	case entrypoint == nil && cmd != nil && r.runsTrue(cmd):
	case entrypoint == nil && cmd == nil && slices.Contains(trivialImages, image):
		// its shell exits at once, or idles on a tty
	default:
		return false // it runs something
	}
	if slices.Contains(trivialImages, image) {
		return true
	}
	for _, u := range users {
		if r.imageName(u.node) != image {
			return false
		}
	}
	return true
}

// runsTrue reports whether a command or entrypoint is /bin/true (with any arguments).
func (r *rancherReader) runsTrue(v *yaml.Node) bool {
	var words []string
	for _, w := range scalarValues(v) {
		words = append(words, strings.Fields(r.value(w))...)
	}
	return len(words) >= 1 && (words[0] == "/bin/true" || words[0] == "true")
}

// imageName is a service's image repository, as Docker Hub names it (busybox, not
// docker.io/library/busybox).
func (r *rancherReader) imageName(svc *yaml.Node) string {
	_, v := child(svc, "image")
	image := r.value(v)
	if named, err := reference.ParseNormalizedNamed(image); err == nil {
		return reference.FamiliarName(named)
	}
	return image
}

// volumesFrom is one volumes_from entry: the service it names and its mode.
type volumesFrom struct {
	service  string
	readOnly bool
	line     int
	raw      string
}

// volumesFromOf reads a service's volumes_from: name[:ro|:rw], service:name[:mode], or
// container:name[:mode] (a container outside the stack).
func (r *rancherReader) volumesFromOf(svc *yaml.Node) []volumesFrom {
	_, v := child(svc, "volumes_from")
	var out []volumesFrom
	for _, item := range scalarValues(v) {
		raw := r.value(item)
		parts := strings.Split(raw, ":")
		if parts[0] == "service" && len(parts) > 1 {
			parts = parts[1:]
		}
		vf := volumesFrom{service: parts[0], line: item.Line, raw: raw}
		if parts[0] == "container" {
			vf.service = ""
		}
		vf.readOnly = len(parts) > 1 && parts[len(parts)-1] == "ro"
		out = append(out, vf)
	}
	return out
}

// translateSidekicks translates data-volume containers into named volumes and refuses
// every other sidekick and volumes_from.
func (r *rancherReader) translateSidekicks() {
	users := map[string][]*rancherService{}
	for _, name := range r.order {
		s := r.services[name]
		for _, vf := range r.volumesFromOf(s.node) {
			if k := r.services[vf.service]; k != nil {
				users[k.name] = append(users[k.name], s)
			}
		}
	}
	sidekicks := map[string]bool{}
	for _, name := range r.order {
		if l, ok := r.serviceLabel(r.services[name].node, labelSidekicks); ok {
			for _, k := range splitList(l.value) {
				sidekicks[k] = true
			}
		}
	}
	data := map[string]bool{}
	for _, name := range r.order {
		if k := r.services[name]; !k.dropped && r.isDataContainer(k, users[name]) {
			data[name] = true
		}
	}
	for _, name := range r.order {
		if s := r.services[name]; !s.dropped && !data[name] {
			r.sidekickLabel(s, data)
			r.mountVolumesFrom(s, data)
		}
	}
	for _, name := range r.order {
		if k := r.services[name]; data[name] && (len(users[name]) > 0 || sidekicks[name]) {
			r.dropService(k)
			if len(users[name]) == 0 {
				r.warn(k, k.line, "", "Rancher data-volume container dropped: no service mounts its volumes (volumes_from)")
				continue
			}
			var names []string
			for _, u := range users[name] {
				names = append(names, u.name)
			}
			r.warn(k, k.line, "", "Rancher data-volume container dropped: its volumes are named volumes of %s", strings.Join(names, ", "))
		}
	}
}

// sidekickLabel drops io.rancher.sidekicks when every sidekick holds only data, and
// refuses it otherwise.
func (r *rancherReader) sidekickLabel(s *rancherService, data map[string]bool) {
	l, ok := r.serviceLabel(s.node, labelSidekicks)
	if !ok {
		return
	}
	key := "labels." + labelSidekicks
	for _, name := range splitList(l.value) {
		k := r.services[name]
		switch {
		case k == nil:
			r.refuse(s, l.line, key, "Rancher sidekick %q: no such service", name)
			return
		case !data[name]:
			r.refuse(s, l.line, key, "not supported on Swarm: Rancher sidekick %q runs beside %s (image %s): Swarm cannot schedule "+
				"two containers as one unit; make it a service of its own, sharing data through a named volume "+
				"(only a sidekick that holds volumes and runs nothing, like busybox /bin/true, translates)", name, s.name, r.imageName(k.node))
			return
		}
	}
	_, labels := child(s.node, "labels")
	dropLabel(labels, labelSidekicks)
	r.warn(s, l.line, key, "Rancher sidekicks dropped: %s only held volumes, which %s mounts as named volumes", l.value, s.name)
}
