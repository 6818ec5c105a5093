package manager

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/api/types/system"
	"github.com/docker/docker/client"
	"github.com/exos-platform/exos/cli-plugin/command"
	"github.com/exos-platform/exos/cli-plugin/internal/test"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/golden"
)

// fakeEngine records what uninstall removes.
type fakeEngine struct {
	client.APIClient
	services     []swarm.Service
	configs      []swarm.Config
	secrets      []swarm.Secret
	removeSvcErr error
	removed      []string
	networks     []network.Summary
	// networkBusy fails that many NetworkRemove calls, as while tasks shut down.
	networkBusy int
	// networkLingers is how many NetworkList calls still list a removed network, as
	// Swarm does for a moment.
	networkLingers int
}

func (f *fakeEngine) NetworkList(context.Context, network.ListOptions) ([]network.Summary, error) {
	if f.networkLingers > 0 {
		f.networkLingers--
		return f.networks, nil
	}
	return slices.DeleteFunc(slices.Clone(f.networks), func(n network.Summary) bool {
		return slices.Contains(f.removed, "network "+n.ID)
	}), nil
}

func (f *fakeEngine) NetworkRemove(_ context.Context, id string) error {
	if f.networkBusy > 0 {
		f.networkBusy--
		return errors.New("network exos_agent is in use by task x")
	}
	if !slices.Contains(f.removed, "network "+id) {
		f.removed = append(f.removed, "network "+id)
	}
	return nil
}

func (f *fakeEngine) Info(context.Context) (system.Info, error) {
	return system.Info{Swarm: swarm.Info{LocalNodeState: swarm.LocalNodeStateActive, ControlAvailable: true,
		Cluster: &swarm.ClusterInfo{ID: "clu1"}}}, nil
}

func (f *fakeEngine) ServiceList(context.Context, swarm.ServiceListOptions) ([]swarm.Service, error) {
	return f.services, nil
}

func (f *fakeEngine) ServiceRemove(_ context.Context, id string) error {
	if f.removeSvcErr != nil {
		return f.removeSvcErr
	}
	f.removed = append(f.removed, "service "+id)
	return nil
}

func (f *fakeEngine) ConfigList(context.Context, swarm.ConfigListOptions) ([]swarm.Config, error) {
	return f.configs, nil
}

func (f *fakeEngine) ConfigRemove(_ context.Context, id string) error {
	f.removed = append(f.removed, "config "+id)
	return nil
}

// SecretList applies the label filters, as the swarm would: a secret EXOS did not label is
// not EXOS's to remove.
func (f *fakeEngine) SecretList(_ context.Context, options swarm.SecretListOptions) ([]swarm.Secret, error) {
	var found []swarm.Secret
	for _, s := range f.secrets {
		if hasLabels(s.Spec.Labels, options.Filters.Get("label")) {
			found = append(found, s)
		}
	}
	return found, nil
}

// hasLabels reports whether labels match every "key" or "key=value" filter.
func hasLabels(labels map[string]string, filters []string) bool {
	for _, f := range filters {
		key, value, withValue := strings.Cut(f, "=")
		if v, ok := labels[key]; !ok || (withValue && v != value) {
			return false
		}
	}
	return true
}

func (f *fakeEngine) SecretRemove(_ context.Context, id string) error {
	f.removed = append(f.removed, "secret "+id)
	return nil
}

func exosObjects() *fakeEngine {
	kind := func(k string) map[string]string { return map[string]string{"io.exos.kind": k} }
	return &fakeEngine{
		services: []swarm.Service{{ID: "m1", Spec: swarm.ServiceSpec{Annotations: swarm.Annotations{Name: "exos_manager"}}}},
		configs: []swarm.Config{
			{ID: "c1", Spec: swarm.ConfigSpec{Annotations: swarm.Annotations{Name: "exos.environment.qa.1", Labels: kind("environment")}}},
			{ID: "c2", Spec: swarm.ConfigSpec{Annotations: swarm.Annotations{Name: "exos.revision.shop-1.1", Labels: kind("revision")}}},
			{ID: "c3", Spec: swarm.ConfigSpec{Annotations: swarm.Annotations{Name: "exos.revision.shop-2.1", Labels: kind("revision")}}},
		},
		secrets: []swarm.Secret{
			{ID: "key1", Spec: swarm.SecretSpec{Annotations: swarm.Annotations{
				Name: "exos-catalog-key", Labels: kind("catalog-key")}}},
			{ID: "mine", Spec: swarm.SecretSpec{Annotations: swarm.Annotations{Name: "db-password"}}},
		},
	}
}

func TestUninstallKeepsStateWithoutPurge(t *testing.T) {
	engine := exosObjects()
	cli := test.NewFakeCli(nil, engine)
	cmd := newUninstallCommand(cli)
	cmd.SetArgs([]string{})
	assert.NilError(t, cmd.Execute())
	assert.Check(t, is.DeepEqual(engine.removed, []string{"service m1"}))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), "Removed service exos_manager\n"), "no question: nothing is lost")
}

// purgeCli is a terminal answering answer, with a local token for swarm clu1.
func purgeCli(t *testing.T, engine *fakeEngine, answer string) *test.FakeCli {
	t.Helper()
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	assert.NilError(t, command.SaveToken(command.TokenDir(), "clu1", "exos_x"))
	cli := test.NewFakeCli(nil, engine)
	cli.SetIn(answer)
	cli.In().SetIsTerminal(true)
	return cli
}

// withoutTokenDir makes the golden output independent of the test's temporary directory.
func withoutTokenDir(out string) string {
	return strings.ReplaceAll(out, command.TokenDir(), "DOCKER_CONFIG/exos")
}

func TestUninstallPurgeAsksBeforeRemovingAnything(t *testing.T) {
	for _, answer := range []string{"n\n", "\n", "yess\n", ""} {
		engine := exosObjects()
		cli := purgeCli(t, engine, answer)
		cmd := newUninstallCommand(cli)
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		cmd.SetArgs([]string{"--purge"})
		assert.Error(t, cmd.Execute(), "uninstall cancelled: nothing was removed")
		assert.Check(t, is.Len(engine.removed, 0), "answer %q", answer)
		golden.Assert(t, withoutTokenDir(cli.OutBuffer().String()), "manager-uninstall-purge-prompt.golden")
		_, err := os.Stat(command.TokenPath(command.TokenDir(), "clu1"))
		assert.NilError(t, err, "the local token is kept")
	}
}

func TestUninstallPurgeWithoutATerminalNeedsForce(t *testing.T) {
	engine := exosObjects()
	cli := test.NewFakeCli(nil, engine)
	cli.SetIn("y\n") // piped: not a terminal, so not an answer
	cmd := newUninstallCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"--purge"})
	assert.Error(t, cmd.Execute(), "refusing to purge without confirmation: standard input is not a terminal; pass --force to purge anyway")
	assert.Check(t, is.Len(engine.removed, 0))
	assert.Check(t, is.Equal(cli.OutBuffer().String(), ""))
}

func TestUninstallPurge(t *testing.T) {
	for name, tc := range map[string]struct {
		args   []string
		answer string
		golden string
	}{
		"confirmed": {args: []string{"--purge"}, answer: "y\n", golden: "manager-uninstall-purge.golden"},
		"forced":    {args: []string{"--purge", "-f"}, golden: "manager-uninstall-purge-force.golden"},
	} {
		t.Run(name, func(t *testing.T) {
			engine := exosObjects()
			cli := purgeCli(t, engine, tc.answer)
			if tc.answer == "" {
				cli.In().SetIsTerminal(false) // --force needs no terminal
			}
			cmd := newUninstallCommand(cli)
			cmd.SetArgs(tc.args)
			assert.NilError(t, cmd.Execute())
			assert.Check(t, is.DeepEqual(engine.removed, []string{"service m1", "config c1", "config c2", "config c3", "secret key1"}),
				"the catalog key goes after the service that references it")
			_, err := os.Stat(command.TokenPath(command.TokenDir(), "clu1"))
			assert.Check(t, os.IsNotExist(err), "the local token is removed")
			golden.Assert(t, withoutTokenDir(cli.OutBuffer().String()), tc.golden)
		})
	}
}

// TestUninstallPurgeKeepsStateWhenTheServiceStays checks that nothing is purged while the
// manager's service, which references the catalog key, may still exist.
func TestUninstallPurgeKeepsStateWhenTheServiceStays(t *testing.T) {
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	assert.NilError(t, command.SaveToken(command.TokenDir(), "clu1", "exos_x"))
	engine := exosObjects()
	engine.removeSvcErr = errors.New("rpc error: node is not a manager")
	cli := test.NewFakeCli(nil, engine)
	cmd := newUninstallCommand(cli)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"--purge", "--force"})
	assert.Error(t, cmd.Execute(), "failed to remove service exos_manager: rpc error: node is not a manager")
	assert.Check(t, is.Len(engine.removed, 0))
	_, err := os.Stat(command.TokenPath(command.TokenDir(), "clu1"))
	assert.NilError(t, err, "the local token is kept")
}
