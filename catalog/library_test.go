package catalog

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/distribution/reference"
	"github.com/exos-platform/exos/catalog/library"
	composeext "github.com/exos-platform/exos/compose-ext"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// TestLibrary checks that every Library template indexes cleanly, and that its default
// version renders with default answers (plausible ones where a required question has no
// default) and converts into Swarm specs with pinned images.
func TestLibrary(t *testing.T) {
	c := Index(library.FS)
	for _, p := range c.Problems {
		t.Errorf("library problem: %s", p)
	}
	assert.Assert(t, len(c.Templates) > 0, "the library has no template")
	for _, tpl := range c.Templates {
		t.Run(tpl.Name, func(t *testing.T) {
			assert.Check(t, is.Len(tpl.Reasons, 0))
			v := tpl.Version("")
			sets := map[string]string{}
			for _, q := range v.Questions {
				if q.Required && q.Default == "" {
					_, sets[q.Variable] = sampleAnswer(q)
				}
			}
			values, err := Resolve(v.Questions, nil, sets)
			assert.NilError(t, err)
			out, err := Render(*v, values)
			assert.NilError(t, err)
			st, err := composeext.Load(context.Background(), out.Input(tpl.Name))
			assert.NilError(t, err)
			assert.Assert(t, len(st.Services) > 0)
			for _, svc := range st.Services {
				checkPinnedImage(t, svc)
			}
		})
	}
}

func checkPinnedImage(t *testing.T, svc composeext.Service) {
	t.Helper()
	image := svc.Spec.TaskTemplate.ContainerSpec.Image
	ref, err := reference.ParseNormalizedNamed(image)
	if !assert.Check(t, err, "service %s: image %q", svc.Name, image) {
		return
	}
	if _, ok := ref.(reference.Digested); ok {
		return
	}
	tagged, ok := ref.(reference.Tagged)
	assert.Check(t, ok && tagged.Tag() != "latest", "service %s: image %q must have a pinned tag", svc.Name, image)
}

// The Library's Jenkins agents reach the swarm's registry when the answers say how: its
// address as $REGISTRY, its stack's overlay network, the node's Docker socket. Without
// those answers they get none of it.
func TestJenkinsAgentsReachTheRegistry(t *testing.T) {
	c := Index(library.FS)
	v := c.Template("jenkins").Version("")
	agent := func(sets map[string]string) composeext.Service {
		t.Helper()
		sets["admin_password"] = "correct-horse-battery"
		values, err := Resolve(v.Questions, nil, sets)
		assert.NilError(t, err)
		out, err := Render(*v, values)
		assert.NilError(t, err)
		st, err := composeext.Load(context.Background(), out.Input("ci"))
		assert.NilError(t, err)
		for _, svc := range st.Services {
			if svc.Name == "agent" {
				return svc
			}
		}
		t.Fatal("no agent service")
		return composeext.Service{}
	}

	plain := agent(map[string]string{})
	assert.Check(t, is.Contains(plain.Spec.TaskTemplate.ContainerSpec.Env, "EXOS_AGENT_SLOT={{.Task.Slot}}"))
	assert.Check(t, !slices.ContainsFunc(plain.Spec.TaskTemplate.ContainerSpec.Env, func(e string) bool { return strings.HasPrefix(e, "REGISTRY=") }))
	assert.Check(t, is.Len(plain.Spec.TaskTemplate.ContainerSpec.Mounts, 1), "only agent_work")
	assert.Check(t, is.DeepEqual(networkTargets(plain), []string{"ci_default"}))

	builds := agent(map[string]string{"registry": "10.201.0.1:5000", "registry_network": "registry_default", "docker_socket": "true"})
	assert.Check(t, is.Contains(builds.Spec.TaskTemplate.ContainerSpec.Env, "REGISTRY=10.201.0.1:5000"))
	mounts := builds.Spec.TaskTemplate.ContainerSpec.Mounts
	assert.Assert(t, is.Len(mounts, 2))
	assert.Check(t, is.Equal(mounts[1].Source, "/var/run/docker.sock"))
	assert.Check(t, is.Equal(mounts[1].Target, "/var/run/docker.sock"))
	assert.Check(t, is.DeepEqual(networkTargets(builds), []string{"ci_default", "registry_default"}))

	_, err := Resolve(v.Questions, nil, map[string]string{"admin_password": "correct-horse-battery", "registry_network": "x y"})
	assert.Check(t, is.ErrorContains(err, "registry_network"))
}

func networkTargets(svc composeext.Service) []string {
	var out []string
	for _, n := range svc.Spec.TaskTemplate.Networks {
		out = append(out, n.Target)
	}
	slices.Sort(out)
	return out
}
