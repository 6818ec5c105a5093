//go:build e2e

package e2e

import (
	"context"
	"errors"
	"testing"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
)

// A catalog that cannot be fetched is refused and not stored; a catalog with broken
// templates keeps its good ones usable and names what is wrong, file and line; and no
// refused deploy (broken template, bad answer, Cattle-only feature) touches the swarm.
func TestCatalogBadInputChangesNothing(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	git := serveGit(t, e)
	repo, commit := catalogRepo(t, "bad")
	url := git.serve(t, "bad", repo)

	t.Run("missing repository", func(t *testing.T) {
		missing := git.repoURL("nothing")
		res := e.run("catalog", "add", "nowhere", missing)
		assert.Check(t, is.Equal(res.ExitCode, 1))
		assert.Check(t, is.Contains(res.Stderr(), "failed to add catalog nowhere: cannot fetch "+missing))
		assert.Check(t, is.Contains(res.Stderr(), "repository not found"))
		assert.Check(t, is.Equal(e.run("catalog", "ls", "-q").Stdout(), "library\n"), "nothing stored")
	})
	t.Run("missing branch", func(t *testing.T) {
		res := e.run("catalog", "add", "nobranch", url, "--branch", "nope")
		assert.Check(t, is.Equal(res.ExitCode, 1))
		assert.Check(t, is.Contains(res.Stderr(), "failed to add catalog nobranch: cannot fetch "+url))
		assert.Check(t, is.Contains(res.Stderr(), `branch not found: "nope"`))
		assert.Check(t, is.Equal(e.run("catalog", "ls", "-q").Stdout(), "library\n"), "nothing stored")
	})

	broken := "templates/broken/0/docker-compose.yml:4: mapping values are not allowed in this context"
	weird := `templates/weird/0/exos-compose.yml:5: .catalog.questions[0].type: question shade: unknown type "colour"`
	res := e.run("catalog", "add", "bad", url)
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "2 templates (commit "+commit[:12]+")\n  2 templates could not be read:\n"))
	assert.Check(t, is.Contains(res.Stdout(), "    "+broken+"\n"))
	assert.Check(t, is.Contains(res.Stdout(), "    "+weird))
	res = e.run("catalog", "refresh", "bad")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "bad: refreshed to commit "+commit[:12]+", 2 templates\n  2 templates could not be read:\n"))
	assert.Check(t, is.Contains(res.Stdout(), "    "+broken+"\n"))
	assert.Check(t, is.Contains(res.Stdout(), "    "+weird))
	assert.Check(t, is.Equal(e.run("catalog", "ls", "--format", "{{.Name}} {{.Templates}} {{.Problems}} {{.Error}}").Stdout(),
		"library 8 0 -\nbad 2 2 -\n"))
	assert.Check(t, is.Equal(e.run("template", "ls", "--catalog", "bad", "--no-trunc", "--format", "{{.Name}} {{.Deployable}}").Stdout(),
		"bad/cattle no\nbad/good yes\n"))
	reasons := e.run("template", "ls", "--catalog", "bad", "--format", "{{json .Reasons}}").Stdout()
	assert.Check(t, is.Contains(reasons, `Rancher sidekick \"app-data\" runs beside app`), "--format never truncates reasons")

	res = e.run("catalog", "deploy", "bad/good", "--name", "good", "--wait")
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Len(e.stackServices(t, "good"), 1))
	before := e.swarmState()

	notListed := "`docker exos catalog refresh bad` lists the templates that could not be read)"
	for _, tc := range []struct {
		name, stack string
		req         api.TemplateDeployRequest
		kind        error
		msg         string
		problems    []string // part of each problem, as "file:line: key: message"
	}{
		{name: "broken YAML", stack: "broken", req: api.TemplateDeployRequest{Template: "bad/broken"}, kind: api.ErrNotFound,
			msg: `catalog "bad" has no template "broken" (` + notListed},
		{name: "unknown question type", stack: "weird", req: api.TemplateDeployRequest{Template: "bad/weird"}, kind: api.ErrNotFound,
			msg: `catalog "bad" has no template "weird" (` + notListed},
		{name: "wrong answer type", stack: "typo", req: api.TemplateDeployRequest{Template: "bad/good", Sets: []string{"replicas=many"}},
			kind: api.ErrInvalid, msg: "answers to bad/good:1.0.0 are not valid; nothing was changed", problems: []string{"replicas: "}},
		{name: "Cattle only", stack: "cattle", req: api.TemplateDeployRequest{Template: "bad/cattle"}, kind: api.ErrInvalid,
			msg: "template bad/cattle:1.0.0 is not deployable, so it is never deployed (see `docker exos template inspect bad/cattle:1.0.0`); nothing was changed",
			problems: []string{
				"templates/cattle/0/docker-compose.yml:6: services.app.labels.io.rancher.sidekicks: not supported on Swarm: Rancher sidekick",
				"templates/cattle/0/docker-compose.yml:8: services.app.volumes_from: not supported on Swarm: volumes_from app-data",
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"catalog", "deploy", tc.req.Template, "--name", tc.stack}
			for _, s := range tc.req.Sets {
				args = append(args, "--set", s)
			}
			res := e.run(args...)
			assert.Check(t, is.Equal(res.ExitCode, 1))
			assert.Check(t, is.Contains(res.Stderr(), "failed to deploy "+tc.req.Template+" as stack "+tc.stack+": "+tc.msg))

			_, err := e.api.DeployTemplate(context.Background(), tc.stack, tc.req)
			assert.Check(t, is.ErrorIs(err, tc.kind))
			var apiErr *api.Error
			assert.Assert(t, errors.As(err, &apiErr))
			assert.Check(t, is.Equal(apiErr.Message, tc.msg))
			assert.Assert(t, is.Len(apiErr.Problems, len(tc.problems)), "%v", apiErr.Problems)
			for i, want := range tc.problems {
				assert.Check(t, is.Contains(apiErr.Problems[i].String(), want))
				assert.Check(t, is.Contains(res.Stderr(), "  "+want))
			}

			assert.Check(t, is.Len(e.stackServices(t, tc.stack), 0))
			_, err = e.api.StackHistory(context.Background(), tc.stack)
			assert.Check(t, is.ErrorIs(err, api.ErrNotFound), "no revision recorded")
			assert.Check(t, is.DeepEqual(e.swarmState(), before))
		})
	}
}

// stackServices lists the Swarm services of a stack.
func (e *exos) stackServices(t *testing.T, stack string) []swarm.Service {
	t.Helper()
	services, err := e.engine.ServiceList(context.Background(), swarm.ServiceListOptions{
		Filters: filters.NewArgs(filters.Arg("label", "com.docker.stack.namespace="+stack))})
	assert.NilError(t, err)
	return services
}
