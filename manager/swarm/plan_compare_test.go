package swarm

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
)

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	assert.NilError(t, err)
	assert.NilError(t, json.Unmarshal(data, v))
}

// TestSameSpecDaemonRoundTrip compares what docker stack deploy sent with what dockerd 20.10
// gave back (testdata/roundtrip/README.md): they must count as the same spec.
func TestSameSpecDaemonRoundTrip(t *testing.T) {
	var networkIDs map[string]string
	readJSON(t, "testdata/roundtrip/networks.json", &networkIDs)
	sent, err := filepath.Glob("testdata/roundtrip/*.sent.json")
	assert.NilError(t, err)
	assert.Assert(t, len(sent) > 0)
	for _, path := range sent {
		t.Run(filepath.Base(path), func(t *testing.T) {
			var want, have swarm.ServiceSpec
			readJSON(t, path, &want)
			readJSON(t, strings.Replace(path, ".sent.", ".got.", 1), &have)
			assert.Check(t, sameSpec(have, want, networkIDs))

			have.Labels = withLabel(have.Labels, LabelRevision, "3")
			assert.Check(t, sameSpec(have, want, networkIDs), "the revision label is not part of the spec")

			want.TaskTemplate.ContainerSpec.Args = []string{"changed"}
			assert.Check(t, !sameSpec(have, want, networkIDs))
		})
	}
}

func TestSameSpecDifferences(t *testing.T) {
	base := testService("web", "sleep", "1").Spec
	for _, tc := range []struct {
		name   string
		modify func(*swarm.ServiceSpec)
		same   bool
	}{
		{name: "identical", modify: func(*swarm.ServiceSpec) {}, same: true},
		{name: "empty list is unset", same: true, modify: func(s *swarm.ServiceSpec) { s.TaskTemplate.ContainerSpec.Env = []string{} }},
		{name: "container labels", modify: func(s *swarm.ServiceSpec) { s.TaskTemplate.ContainerSpec.Labels = nil }},
		{name: "replicas 1 spelled out", same: true, modify: func(s *swarm.ServiceSpec) {
			one := uint64(1)
			s.Mode.Replicated.Replicas = &one
		}},
		{name: "replicas 2", modify: func(s *swarm.ServiceSpec) {
			two := uint64(2)
			s.Mode.Replicated.Replicas = &two
		}},
		{name: "init false is not unset", modify: func(s *swarm.ServiceSpec) {
			no := false
			s.TaskTemplate.ContainerSpec.Init = &no
		}},
		{name: "image", modify: func(s *swarm.ServiceSpec) { s.TaskTemplate.ContainerSpec.Image = "exos/busybox:2" }},
		{name: "network by ID", same: true, modify: func(s *swarm.ServiceSpec) { s.TaskTemplate.Networks[0].Target = "n1" }},
		{name: "service label", modify: func(s *swarm.ServiceSpec) { s.Labels["x"] = "y" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other := deepCopy(base)
			tc.modify(&other)
			assert.Equal(t, sameSpec(base, other, map[string]string{"st_back": "n1"}), tc.same)
		})
	}
}
