//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
)

// Bad input of every kind gets an error naming file, line and key, from the plugin and from
// the manager alike, and the swarm is left exactly as it was.
func TestBadInputChangesNothing(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	e.run("stack", "deploy", "-c", "../testdata/e2e/placed.yml", "--wait", "shop").Assert(t, icmd.Success)
	before := e.swarmState()

	good := "../testdata/e2e/placed.yml"
	for _, tc := range []struct {
		name  string
		files []string // compose files
		exos  string
		env   string
		want  []string // each must appear in the error
	}{
		{"malformed yaml", []string{"../testdata/e2e/bad/malformed.yml"}, "", "", []string{"malformed.yml", "line 4"}},
		{"unknown key", []string{"../testdata/e2e/bad/unknown-key.yml"}, "", "", []string{"unknown-key.yml", "comand"}},
		{"wrong type", []string{"../testdata/e2e/bad/wrong-type.yml"}, "", "", []string{"wrong-type.yml", "replicas"}},
		{"missing variable", []string{"../testdata/e2e/bad/missing-var.yml"}, "", "", []string{"missing-var.yml", "APP_TAG"}},
		{"unsupported rancher key", []string{good}, "../testdata/e2e/bad/lb.rancher-compose.yml", "", []string{"lb.rancher-compose.yml:4", "lb_config"}},
		{"unknown exos key", []string{good}, "../testdata/e2e/bad/unknown-exos-key.yml", "", []string{"unknown-exos-key.yml:6", "maks"}},
		{"unknown env", []string{good}, "", "nope", []string{`environment "nope" does not exist`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"stack", "deploy"}
			for _, f := range tc.files {
				args = append(args, "-c", f)
			}
			if tc.exos != "" {
				args = append(args, "-x", tc.exos)
			}
			if tc.env != "" {
				args = append(args, "--env", tc.env)
			}
			res := e.run(append(args, "shop")...)
			assert.Check(t, res.ExitCode != 0, "the plugin accepted bad input:\n%s", res.Combined())
			for _, w := range tc.want {
				assert.Check(t, is.Contains(res.Stderr(), w))
			}

			// The manager validates on its own: a client that skips the plugin's checks
			// gets a 400 naming the same things.
			_, err := e.api.DeployStack(context.Background(), "shop", deployRequest(t, tc.files, tc.exos, tc.env))
			assert.Check(t, is.ErrorIs(err, api.ErrInvalid))
			for _, w := range tc.want {
				assert.Check(t, is.ErrorContains(err, w))
			}
			assert.Check(t, is.DeepEqual(e.swarmState(), before))
		})
	}
	history, err := e.api.StackHistory(context.Background(), "shop")
	assert.NilError(t, err)
	assert.Check(t, is.Len(history, 1), "no revision recorded for bad input")
}

func deployRequest(t *testing.T, files []string, exos, env string) api.DeployRequest {
	req := api.DeployRequest{Env: env}
	for _, f := range files {
		req.ComposeFiles = append(req.ComposeFiles, readFile(t, f))
	}
	if exos != "" {
		x := readFile(t, exos)
		req.ExosFile = &x
	}
	return req
}

func readFile(t *testing.T, path string) api.File {
	data, err := os.ReadFile(path)
	assert.NilError(t, err)
	return api.File{Name: path[strings.LastIndex(path, "/")+1:], Content: string(data)}
}

// swarmState lists every service, network, config and secret with its version: any change
// to the swarm shows up as a difference. The audit log is left out: recording a refused
// request is what it is for.
func (e *exos) swarmState() []string {
	ctx := context.Background()
	var out []string
	services, err := e.engine.ServiceList(ctx, swarm.ServiceListOptions{})
	assert.NilError(e.t, err)
	for _, s := range services {
		out = append(out, fmt.Sprintf("service %s %s v%d", s.Spec.Name, s.ID, s.Version.Index))
	}
	networks, err := e.engine.NetworkList(ctx, network.ListOptions{})
	assert.NilError(e.t, err)
	for _, n := range networks {
		out = append(out, fmt.Sprintf("network %s %s", n.Name, n.ID))
	}
	configs, err := e.engine.ConfigList(ctx, swarm.ConfigListOptions{})
	assert.NilError(e.t, err)
	for _, c := range configs {
		if strings.HasPrefix(c.Spec.Labels["io.exos.kind"], "audit-") {
			continue
		}
		out = append(out, fmt.Sprintf("config %s %s v%d", c.Spec.Name, c.ID, c.Version.Index))
	}
	secrets, err := e.engine.SecretList(ctx, swarm.SecretListOptions{})
	assert.NilError(e.t, err)
	for _, s := range secrets {
		out = append(out, fmt.Sprintf("secret %s %s v%d", s.Spec.Name, s.ID, s.Version.Index))
	}
	sort.Strings(out)
	return out
}
