package stacks

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/exos-platform/exos/manager/api"
)

func TestUnifiedDiff(t *testing.T) {
	for name, tc := range map[string]struct {
		a, b, want string
	}{
		"same": {"x\ny\n", "x\ny\n", ""},
		// The hunks `diff -u` prints for the same files.
		"two hunks": {
			"a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n", "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n",
			"--- A\n+++ B\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -9,3 +9,4 @@\n i\n j\n k\n+l\n",
		},
		"close changes share a hunk": {
			"1\n2\n3\n4\n5\n6\n7\n8\n", "1\nX\n3\n4\n5\n6\n7\nY\n",
			"--- A\n+++ B\n@@ -1,8 +1,8 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n 7\n-8\n+Y\n",
		},
		"from nothing":            {"", "a\nb\n", "--- A\n+++ B\n@@ -0,0 +1,2 @@\n+a\n+b\n"},
		"to nothing":              {"a\n", "", "--- A\n+++ B\n@@ -1 +0,0 @@\n-a\n"},
		"first line removed":      {"x\ny\n", "y\n", "--- A\n+++ B\n@@ -1,2 +1 @@\n-x\n y\n"},
		"no newline at the end":   {"a\nb", "a\nc", "--- A\n+++ B\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"},
		"line moved is two edits": {"a\nb\nc\n", "b\nc\na\n", "--- A\n+++ B\n@@ -1,3 +1,3 @@\n-a\n b\n c\n+a\n"},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Check(t, is.Equal(unifiedDiff("A", "B", tc.a, tc.b), tc.want))
		})
	}
}

func TestSpecDiffs(t *testing.T) {
	three := uint64(3)
	base := func(image string) swarm.ServiceSpec {
		return swarm.ServiceSpec{
			Annotations:  swarm.Annotations{Name: "s_web", Labels: map[string]string{"a": "1"}},
			TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{Image: image, Env: []string{"A=1", "B=2"}}},
		}
	}
	changed := base("reg:5000/app:2@sha256:bbb")
	changed.Mode.Replicated = &swarm.ReplicatedService{Replicas: &three}
	changed.TaskTemplate.ContainerSpec.Env = []string{"A=1", "C=3", "B=2"}
	delete(changed.Labels, "a")
	for name, tc := range map[string]struct {
		from, to map[string]swarm.ServiceSpec
		want     []api.ServiceDiff
	}{
		"same": {map[string]swarm.ServiceSpec{"s_web": base("x")}, map[string]swarm.ServiceSpec{"s_web": base("x")}, []api.ServiceDiff{}},
		"changed": {
			map[string]swarm.ServiceSpec{"s_web": base("reg:5000/app:1@sha256:aaa")}, map[string]swarm.ServiceSpec{"s_web": changed},
			[]api.ServiceDiff{{Service: "s_web", Change: api.SpecChanged, Fields: []api.FieldChange{
				{Path: "Labels.a", From: "1"},
				{Path: "Mode.Replicated.Replicas", To: "3"},
				{Path: "TaskTemplate.ContainerSpec.Env", From: `["A=1","B=2"]`, To: `["A=1","C=3","B=2"]`},
				{Path: "TaskTemplate.ContainerSpec.Image", From: "reg:5000/app:1@sha256:aaa", To: "reg:5000/app:2@sha256:bbb"},
			}}},
		},
		"added and removed": {
			map[string]swarm.ServiceSpec{"s_old": {Annotations: swarm.Annotations{Name: "s_old"}}},
			map[string]swarm.ServiceSpec{"s_new": {Annotations: swarm.Annotations{Name: "s_new"}}},
			[]api.ServiceDiff{
				{Service: "s_new", Change: api.SpecAdded, Fields: []api.FieldChange{{Path: "Name", To: "s_new"}, {Path: "TaskTemplate.ForceUpdate", To: "0"}}},
				{Service: "s_old", Change: api.SpecRemoved, Fields: []api.FieldChange{{Path: "Name", From: "s_old"}, {Path: "TaskTemplate.ForceUpdate", From: "0"}}},
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Check(t, is.DeepEqual(specDiffs(tc.from, tc.to), tc.want))
		})
	}
	mon := swarm.ServiceSpec{UpdateConfig: &swarm.UpdateConfig{Monitor: 60e9, Order: "start-first"}}
	assert.Check(t, is.DeepEqual(flatSpec(mon), map[string]string{"UpdateConfig.MaxFailureRatio": "0", "UpdateConfig.Monitor": "60000000000", "UpdateConfig.Order": "start-first", "UpdateConfig.Parallelism": "0", "TaskTemplate.ForceUpdate": "0"}))
}

func TestDiffOfTwoRevisions(t *testing.T) {
	f := newPrivateFixture(t)
	ctx := context.Background()
	f.deploy(t, "shop", f.compose("1"))
	first, err := f.svc.Diff(ctx, "shop", 0, 0)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(first.From, 0))
	assert.Check(t, is.Len(first.Services, 2))
	assert.Check(t, is.Equal(first.Services[0].Change, api.SpecAdded))

	_, err = f.svc.SetImage(ctx, "shop", api.SetImageRequest{Service: "web", Image: f.addr + "/team/app:2"}, "admin", "")
	assert.NilError(t, err)
	req := deployReq(strings.Replace(f.compose("2"), "sleep 3600", "sleep ${NAP}", 1))
	req.Variables = map[string]string{"NAP": "60"}
	_, err = f.svc.Deploy(ctx, "shop", req, "admin", "")
	assert.NilError(t, err)

	d, err := f.svc.Diff(ctx, "shop", 0, 0) // 2 -> 3
	assert.NilError(t, err)
	assert.Check(t, is.Equal(d.From, 2))
	assert.Check(t, is.Equal(d.To, 3))
	assert.Check(t, is.DeepEqual(d.Services, []api.ServiceDiff{{Service: "shop_web", Change: api.SpecChanged, Fields: []api.FieldChange{
		{Path: "TaskTemplate.ContainerSpec.Args", From: `["sleep","3600"]`, To: `["sleep","60"]`},
	}}}))
	var names []string
	for _, fd := range d.Files {
		names = append(names, fd.Name)
	}
	assert.Check(t, is.DeepEqual(names, []string{"docker-compose.yml", "variables", "set-image"}))
	assert.Check(t, is.Equal(d.Files[0].Diff, "--- docker-compose.yml (revision 2)\n+++ docker-compose.yml (revision 3)\n@@ -1,7 +1,7 @@\n services:\n   web:\n-    image: "+f.addr+"/team/app:1\n-    command: sleep 3600\n+    image: "+f.addr+"/team/app:2\n+    command: sleep ${NAP}\n     healthcheck:\n       test: [\"CMD\", \"true\"]\n       interval: 10s\n"))
	assert.Check(t, is.Equal(d.Files[1].Diff, "--- variables (revision 2)\n+++ variables (revision 3)\n@@ -0,0 +1 @@\n+NAP=60\n"))
	assert.Check(t, is.Equal(d.Files[2].Diff, "--- set-image (revision 2)\n+++ set-image (revision 3)\n@@ -1 +0,0 @@\n-web: "+f.addr+"/team/app:2\n"))

	// 1 -> 2 is set-image: the image, with its digests, and the label naming it.
	d, err = f.svc.Diff(ctx, "shop", 1, 2)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(d.Services, []api.ServiceDiff{{Service: "shop_web", Change: api.SpecChanged, Fields: []api.FieldChange{
		{Path: "Labels.com.docker.stack.image", From: f.addr + "/team/app:1", To: f.addr + "/team/app:2"},
		{Path: "TaskTemplate.ContainerSpec.Image", From: f.addr + "/team/app:1@" + f.one, To: f.addr + "/team/app:2@" + f.two},
	}}}))

	for _, tc := range []struct{ from, to int }{{1, 9}, {9, 1}} {
		_, err = f.svc.Diff(ctx, "shop", tc.from, tc.to)
		assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
	}
	_, err = f.svc.Diff(ctx, "nope", 0, 0)
	assert.Check(t, is.ErrorIs(err, api.ErrNotFound))
}

// Password answers of a template are never shown, only that they were given.
func TestDiffWithholdsPasswords(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	compose := "services:\n  db:\n    image: exos/busybox:1\n    environment: [\"PW=${DB_PASSWORD}\", \"U=${USER_NAME}\"]\n"
	for _, user := range []string{"a", "b"} {
		_, err := f.svc.DeployTemplate(ctx, "db", TemplateDeploy{
			ComposeFiles: []api.File{{Name: "docker-compose.yml", Content: compose}},
			Variables:    map[string]string{"USER_NAME": user}, Passwords: map[string]string{"DB_PASSWORD": "Hunter2-pw"},
			Source: api.TemplateSource{Catalog: "lib", Template: "db", Version: "1"},
		}, "admin", "")
		assert.NilError(t, err)
	}
	d, err := f.svc.Diff(ctx, "db", 0, 0)
	assert.NilError(t, err)
	data, err := json.Marshal(d)
	assert.NilError(t, err)
	assert.Check(t, !strings.Contains(string(data), "Hunter2-pw"), "the password shows: %s", data)
	assert.Check(t, is.Equal(d.Files[0].Diff, "--- variables (revision 1)\n+++ variables (revision 2)\n@@ -1,2 +1,2 @@\n DB_PASSWORD=(password: withheld)\n-USER_NAME=a\n+USER_NAME=b\n"))
}
