package catalog

import (
	"context"
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
