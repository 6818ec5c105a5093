//go:build e2e

package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"
)

// secretWord is the password answer: it must reach the service as a Swarm secret and
// nowhere else.
const secretWord = "correct-horse-battery-staple"

// A template from a Git catalog served over HTTP, through its whole life: deployed with a
// password answer, upgraded to the version a new commit adds (keeping the password's
// secret), and rolled back. The password is never recorded.
func TestCatalogFromGitDeploysUpgradesAndRollsBack(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	repo, commit1 := catalogRepo(t, "ticker")
	url := serveGit(t, e).serve(t, "community", repo)

	res := e.run("catalog", "add", "community", url, "--branch", "main")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "1 template (commit "+commit1[:12]+")"))
	assert.Check(t, is.Equal(e.run("template", "ls", "--catalog", "community", "-q").Stdout(), "community/ticker\n"))

	res = e.run("catalog", "deploy", "community/ticker", "--name", "tick",
		"--set", "secret_word="+secretWord, "--set", "message=hello", "--wait")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "Deploying community/ticker:1.0.0 (catalog commit "+commit1[:12]+") as stack tick"))
	assert.Check(t, !strings.Contains(res.Combined(), secretWord))
	e.waitTicker(t, "1")

	want := api.TemplateSource{Catalog: "community", Template: "ticker", Version: "1.0.0", Number: 0, Commit: commit1,
		Answers: map[string]string{"message": "hello", "replicas": "1"}}
	rev := e.revision(t, "tick", 1)
	assert.Check(t, is.DeepEqual(rev.Template, &want))
	assert.Check(t, is.DeepEqual(rev.Withheld, []string{"secret_word"}))
	e.assertPasswordNotKept(t)
	secret := e.tickerSecret(t)
	assert.Check(t, is.Equal(e.secretInTicker(t), secretWord))

	// A new commit adds version 1.1.0, which upgrades from 1.0.0.
	repo.CopyDir(t, "../testdata/e2e/catalog/ticker-1.1.0")
	commit2 := repo.Commit(t, "ticker 1.1.0")
	res = e.run("catalog", "refresh", "community")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "community: refreshed to commit "+commit2[:12]+", 1 template"))
	var tmpl api.Template
	assert.NilError(t, json.Unmarshal([]byte(e.run("template", "inspect", "--format", "json", "community/ticker").Stdout()), &tmpl))
	assert.Check(t, is.Equal(tmpl.DefaultVersion, "1.1.0"))
	assert.Check(t, is.DeepEqual(versionsOf(tmpl), []string{"1.0.0 (0)", "1.1.0 (1) from >=1.0.0"}))
	assert.Check(t, is.Equal(e.stackLine(t, "tick"), "tick community/ticker:1.0.0 1.1.0"))

	// No --set: the password is kept as the swarm holds it.
	res = e.run("stack", "upgrade", "tick", "--wait")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "Upgrading stack tick: community/ticker 1.0.0 -> 1.1.0"))
	e.waitTicker(t, "2")
	rev = e.revision(t, "tick", 2)
	want.Version, want.Number, want.Commit = "1.1.0", 1, commit2
	assert.Check(t, is.DeepEqual(rev.Template, &want))
	assert.Check(t, is.DeepEqual(rev.Withheld, []string{"secret_word"}))
	assert.Check(t, is.Equal(e.tickerSecret(t), secret), "the upgrade keeps the secret")
	assert.Check(t, is.Equal(e.secretInTicker(t), secretWord))
	assert.Check(t, is.Equal(e.stackLine(t, "tick"), "tick community/ticker:1.1.0 "))

	e.run("stack", "rollback", "tick", "--to", "1", "--wait").Assert(t, icmd.Success)
	e.waitTicker(t, "1")
	rev = e.revision(t, "tick", 3)
	assert.Check(t, is.Equal(rev.RollbackOf, 1))
	want.Version, want.Number, want.Commit = "1.0.0", 0, commit1
	assert.Check(t, is.DeepEqual(rev.Template, &want))
	assert.Check(t, is.Equal(e.tickerSecret(t), secret), "the rollback keeps the secret")
	assert.Check(t, is.Equal(e.secretInTicker(t), secretWord))
	assert.Check(t, is.Equal(e.stackLine(t, "tick"), "tick community/ticker:1.0.0 1.1.0"))
	e.assertPasswordNotKept(t)
}

func (e *exos) revision(t *testing.T, stack string, n int) api.Revision {
	t.Helper()
	rev, err := e.api.StackRevision(context.Background(), stack, n)
	assert.NilError(t, err)
	return rev
}

// stackLine is the stack's line of `stack ls`: name, template and the upgrade on offer.
func (e *exos) stackLine(t *testing.T, stack string) string {
	t.Helper()
	res := e.run("stack", "ls", "--format", "{{.Name}} {{.Template}} {{.Upgrade}}")
	res.Assert(t, icmd.Success)
	for _, line := range strings.Split(res.Stdout(), "\n") {
		if strings.HasPrefix(line, stack+" ") {
			return line
		}
	}
	t.Fatalf("stack %s not listed:\n%s", stack, res.Stdout())
	return ""
}

func versionsOf(tmpl api.Template) []string {
	var out []string
	for _, v := range tmpl.Versions {
		s := fmt.Sprintf("%s (%d)", v.Version, v.Number)
		if v.UpgradeFrom != "" {
			s += " from " + v.UpgradeFrom
		}
		out = append(out, s)
	}
	return out
}

// waitTicker waits until tick_ticker runs one task, of the spec with MESSAGE_VERSION=version,
// and no task of another spec.
func (e *exos) waitTicker(t *testing.T, version string) {
	t.Helper()
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		tasks, err := e.tickerTasks()
		if err != nil {
			return poll.Error(err)
		}
		var running, other int
		for _, task := range tasks {
			env := task.Spec.ContainerSpec.Env
			switch {
			case !slices.Contains(env, "MESSAGE_VERSION="+version):
				other++
			case task.Status.State == swarm.TaskStateRunning:
				running++
			}
		}
		if running != 1 || other != 0 {
			return poll.Continue("tick_ticker: %d running task(s) of version %s, %d of another", running, version, other)
		}
		return poll.Success()
	}, poll.WithTimeout(60*time.Second), poll.WithDelay(100*time.Millisecond))
}

// tickerTasks are the tasks of tick_ticker meant to run.
func (e *exos) tickerTasks() ([]swarm.Task, error) {
	return e.engine.TaskList(context.Background(), swarm.TaskListOptions{Filters: filters.NewArgs(
		filters.Arg("service", "tick_ticker"), filters.Arg("desired-state", "running"))})
}

// tickerSecret returns the ID of the Swarm secret tick_word, which tick_ticker mounts.
func (e *exos) tickerSecret(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	secrets, err := e.engine.SecretList(ctx, swarm.SecretListOptions{Filters: filters.NewArgs(filters.Arg("name", "tick_word"))})
	assert.NilError(t, err)
	assert.Assert(t, is.Len(secrets, 1))
	svc, _, err := e.engine.ServiceInspectWithRaw(ctx, "tick_ticker", swarm.ServiceInspectOptions{})
	assert.NilError(t, err)
	refs := svc.Spec.TaskTemplate.ContainerSpec.Secrets
	assert.Assert(t, is.Len(refs, 1))
	assert.Check(t, is.Equal(refs[0].SecretID, secrets[0].ID))
	return secrets[0].ID
}

// secretInTicker reads the secret as the running task sees it.
func (e *exos) secretInTicker(t *testing.T) string {
	t.Helper()
	tasks, err := e.tickerTasks()
	assert.NilError(t, err)
	for _, task := range tasks {
		if task.Status.State == swarm.TaskStateRunning && task.Status.ContainerStatus != nil {
			res := e.docker("exec", task.Status.ContainerStatus.ContainerID, "cat", "/run/secrets/word")
			res.Assert(t, icmd.Success)
			return res.Stdout()
		}
	}
	t.Fatal("tick_ticker has no running task")
	return ""
}

// assertPasswordNotKept checks that the password is in no revision of tick, in no service
// spec, and in none of the Swarm configs where the manager keeps its state.
func (e *exos) assertPasswordNotKept(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	history, err := e.api.StackHistory(ctx, "tick")
	assert.NilError(t, err)
	for _, r := range history {
		full, err := json.Marshal(e.revision(t, "tick", r.Number))
		assert.NilError(t, err)
		assert.Check(t, !strings.Contains(string(full), secretWord), "revision %d: %s", r.Number, full)
	}
	services, err := e.engine.ServiceList(ctx, swarm.ServiceListOptions{})
	assert.NilError(t, err)
	for _, s := range services {
		spec, err := json.Marshal(s.Spec)
		assert.NilError(t, err)
		assert.Check(t, !strings.Contains(string(spec), secretWord), "service %s: %s", s.Spec.Name, spec)
	}
	configs, err := e.engine.ConfigList(ctx, swarm.ConfigListOptions{})
	assert.NilError(t, err)
	for _, c := range configs {
		assert.Check(t, !strings.Contains(configData(t, c), secretWord), "config %s", c.Spec.Name)
	}
}

// configData is a config's content, decompressed when the manager gzipped it.
func configData(t *testing.T, c swarm.Config) string {
	if c.Spec.Labels["io.exos.encoding"] != "gzip" {
		return string(c.Spec.Data)
	}
	zr, err := gzip.NewReader(bytes.NewReader(c.Spec.Data))
	assert.NilError(t, err)
	data, err := io.ReadAll(zr)
	assert.NilError(t, err)
	return string(data)
}
