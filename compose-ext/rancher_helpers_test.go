package composeext

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
)

// Rancher tests load snippets of the templates of the Rancher community catalog
// snapshot (/work/shared/corpus/rancher-community-catalog, Apache-2.0), trimmed to what
// each test is about; every test names the template its snippet comes from.

// rancherCase is one template snippet and what loading it with Input.Rancher gives.
type rancherCase struct {
	name     string // the template (and version folder) the snippet is from
	compose  string // docker-compose.yml, rendered
	rancher  string // rancher-compose.yml, "" for none
	vars     map[string]string
	warnings []string // "file:line: key: message", in order
	problems []string // empty when the load succeeds
	check    func(t *testing.T, st *Stack)
}

// run loads the case as the catalog hands a template version to Load and checks it.
func (c rancherCase) run(t *testing.T) {
	t.Helper()
	in := Input{Stack: "app", Variables: c.vars, Rancher: true,
		ComposeFiles: []File{{Name: "docker-compose.yml", Content: []byte(c.compose)}}}
	if c.rancher != "" {
		in.ExosFile = &File{Name: "rancher-compose.yml", Content: []byte(c.rancher)}
	}
	st, err := Load(context.Background(), in)
	if len(c.problems) > 0 {
		var ve *ValidationError
		assert.Assert(t, errors.As(err, &ve), "load succeeded: %v", err)
		assert.DeepEqual(t, warningStrings(ve.Problems), c.problems)
		return
	}
	assert.NilError(t, err)
	assert.DeepEqual(t, warningStrings(st.Warnings), nonNil(c.warnings))
	if c.check != nil {
		c.check(t, st)
	}
	// --strict refuses every translation.
	if len(c.warnings) > 0 {
		in.Strict = true
		_, err := Load(context.Background(), in)
		assert.ErrorContains(t, err, strictPrefix)
	}
}

func runRancherCases(t *testing.T, cases []rancherCase) {
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// service returns the stack's service called name.
func service(t *testing.T, st *Stack, name string) swarm.ServiceSpec {
	t.Helper()
	var names []string
	for _, s := range st.Services {
		if s.Name == name {
			return s.Spec
		}
		names = append(names, s.Name)
	}
	t.Fatalf("no service %s (services: %s)", name, strings.Join(names, ", "))
	return swarm.ServiceSpec{}
}

// serviceNames lists the stack's services.
func serviceNames(st *Stack) []string {
	out := []string{}
	for _, s := range st.Services {
		out = append(out, s.Name)
	}
	return out
}
