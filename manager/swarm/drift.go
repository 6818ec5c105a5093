package swarm

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"

	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/swarm"

	composeext "github.com/exos-platform/exos/compose-ext"
)

// DesiredServices are the service specs a deploy of stack creates, by full name, before
// Swarm resolves references to IDs: what Drift compares services with.
func DesiredServices(stack *composeext.Stack) map[string]swarm.ServiceSpec {
	out := map[string]swarm.ServiceSpec{}
	for _, spec := range desiredStack(stack).services {
		out[spec.Name] = spec
	}
	return out
}

// Drift lists the fields of the service's spec that differ from want, one of
// DesiredServices: what changed outside EXOS since want was deployed, as dotted paths of
// the Engine API's spec ("TaskTemplate.ContainerSpec.Image"). It leaves out what a deploy
// leaves as it is too: the revision label, the digest Swarm resolved an image to, the
// force-update counter, an autoscaled service's replicas and steps, and the IDs Swarm
// holds for the networks, configs and secrets a spec names. It leaves out the
// placement's platforms too: they follow the image (docker's client sets them from the
// registry's answer whenever it resolves one), so a changed image is the drift to tell,
// and the same image resolved by another client or Engine version is none.
func Drift(have swarm.Service, want swarm.ServiceSpec) []string {
	got := deepCopy(have.Spec)
	want = deepCopy(want)
	if cs, old := want.TaskTemplate.ContainerSpec, got.TaskTemplate.ContainerSpec; cs != nil && old != nil && sameImage(old.Image, cs.Image) {
		cs.Image = old.Image
	}
	keepPlatforms(got, &want)
	want.TaskTemplate.ForceUpdate = got.TaskTemplate.ForceUpdate
	keepAutoscaled(have.Spec, &want)
	dropIDs(&got)
	dropIDs(&want)
	return diffPaths(canonicalSpec(got, nil), canonicalSpec(want, nil), "")
}

// sameImage reports whether the image the swarm runs is the image a file names, with the
// digest Swarm resolved it to (which it writes after the tag: name:tag@sha256:...).
func sameImage(running, named string) bool {
	if running == named {
		return true
	}
	r, err := reference.ParseNormalizedNamed(running)
	if err != nil {
		return false
	}
	n, err := reference.ParseNormalizedNamed(named)
	if err != nil {
		return false
	}
	_, resolved := r.(reference.Digested)
	_, pinned := n.(reference.Digested)
	tagged, hasTag := r.(reference.Tagged)
	if !resolved || pinned || !hasTag {
		return false
	}
	undigested, err := reference.WithTag(reference.TrimNamed(r), tagged.Tag())
	return err == nil && undigested.String() == reference.TagNameOnly(n).String()
}

// keepPlatforms gives want the platforms the service has.
func keepPlatforms(have swarm.ServiceSpec, want *swarm.ServiceSpec) {
	var platforms []swarm.Platform
	if p := have.TaskTemplate.Placement; p != nil {
		platforms = p.Platforms
	}
	if want.TaskTemplate.Placement == nil {
		want.TaskTemplate.Placement = &swarm.Placement{}
	}
	want.TaskTemplate.Placement.Platforms = platforms
}

// dropIDs blanks what Swarm resolves to IDs, and keeps what names them, so that a spec
// from a file and one from Swarm compare.
func dropIDs(spec *swarm.ServiceSpec) {
	for i := range spec.TaskTemplate.Networks {
		spec.TaskTemplate.Networks[i].Target = ""
	}
	cs := spec.TaskTemplate.ContainerSpec
	if cs == nil {
		return
	}
	for _, c := range cs.Configs {
		c.ConfigID = ""
	}
	for _, s := range cs.Secrets {
		s.SecretID = ""
	}
	if p := cs.Privileges; p != nil && p.CredentialSpec != nil {
		p.CredentialSpec.Config = ""
	}
}

// diffPaths lists where two decoded JSON trees differ: the path of each differing leaf,
// or of a list whose length differs.
func diffPaths(a, b any, path string) []string {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		var out []string
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			out = append(out, diffPaths(am[k], bm[k], join(path, k))...)
		}
		return out
	}
	as, aok := a.([]any)
	bs, bok := b.([]any)
	if aok && bok && len(as) == len(bs) {
		var out []string
		for i := range as {
			out = append(out, diffPaths(as[i], bs[i], join(path, strconv.Itoa(i)))...)
		}
		return out
	}
	if reflect.DeepEqual(a, b) {
		return nil
	}
	return []string{path}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return fmt.Sprintf("%s.%s", path, key)
}
