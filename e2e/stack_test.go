//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"github.com/exos-platform/exos/e2e/testbed"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"
	"gotest.tools/v3/poll"
)

type stackRow struct{ Name, Services, Env, Revision string }
type serviceRow struct{ ID, Name, Mode, Replicas, Image, Ports string }
type containerRow struct{ ID, Name, Node, DesiredState, CurrentState, Error string }
type revisionRow struct{ Revision, Author, Env, Images, RollbackOf string }

var demoFiles = []string{"-c", "../examples/demo/docker-compose.yml", "-x", "../examples/demo/exos-compose.yml"}

// The demo stack through its whole life: deploy into an environment with --wait, every view
// in every format, an update, a rollback, and removal; `docker stack` sees it throughout.
func TestStackLifecycle(t *testing.T) {
	e := start(t, testbed.Options{Nodes: 1})
	e.run("env", "create", "dev", "--description", "Development").Assert(t, icmd.Success)
	e.run("env", "add-node", "dev", "node1").Assert(t, icmd.Success)

	res := e.run(append(append([]string{"stack", "deploy"}, demoFiles...), "--env", "dev", "--wait", "demo")...)
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(res.Stdout(), "revision 1"))

	stacks := jsonLines[stackRow](t, e.run("stack", "ls", "--format", "json").Stdout())
	// The manager's own stack is listed too, as `docker stack ls` lists it.
	assert.Check(t, is.DeepEqual(stacks, []stackRow{
		{Name: "demo", Services: "3", Env: "dev", Revision: "1"},
		{Name: "exos", Services: "2", Env: "-", Revision: "-"}, // the manager and its agent
	}))
	assert.Check(t, is.Equal(e.run("stack", "ls", "-q").Stdout(), "demo\nexos\n"))
	assert.Check(t, is.Contains(e.docker("stack", "ls").Stdout(), "demo"), "docker stack ls sees EXOS stacks")

	services := jsonLines[serviceRow](t, e.run("stack", "services", "demo", "--format", "json").Stdout())
	assert.Assert(t, is.Len(services, 3))
	replicas := map[string]string{}
	for _, s := range services {
		replicas[s.Name] = s.Replicas
	}
	assert.Check(t, is.DeepEqual(replicas, map[string]string{"demo_api": "2/2", "demo_web": "1/1", "demo_worker": "2/2"}))

	containers := jsonLines[containerRow](t, e.run("stack", "containers", "demo", "--format", "json").Stdout())
	assert.Check(t, is.Len(containers, 5))
	for _, c := range containers {
		assert.Check(t, is.Equal(c.Node, "node1"))
		assert.Check(t, is.Contains(c.CurrentState, "Running"))
	}
	assert.Check(t, is.Equal(httpGet(t, e.sw.Nodes[0].IP, 18080)[:len("hello from")], "hello from"))

	// An update publishes the web service on another port: revision 2.
	res = icmd.RunCmd(icmd.Command("docker", append(append([]string{"exos", "stack", "deploy"}, demoFiles...), "--env", "dev", "--wait", "demo")...),
		icmd.WithEnv(append(e.env(1), "WEB_PORT=18081")...))
	res.Assert(t, icmd.Success)
	assert.Check(t, is.Equal(publishedPort(t, e, "demo_web"), uint32(18081)))
	assert.Check(t, is.Equal(httpGet(t, e.sw.Nodes[0].IP, 18081)[:len("hello from")], "hello from"))

	e.run("stack", "rollback", "--to", "1", "--wait", "demo").Assert(t, icmd.Success)
	assert.Check(t, is.Equal(publishedPort(t, e, "demo_web"), uint32(18080)))

	history := jsonLines[revisionRow](t, e.run("stack", "history", "demo", "--format", "json").Stdout())
	assert.Assert(t, is.Len(history, 3))
	assert.Check(t, is.Equal(history[0].Revision, "3"))
	assert.Check(t, is.Equal(history[0].RollbackOf, "1"))
	assert.Check(t, is.Equal(history[0].Env, "dev"))
	assert.Check(t, is.Equal(strings.Fields(e.run("stack", "history", "-q", "demo").Stdout())[0], "3"))

	inspect := e.run("stack", "inspect", "demo")
	inspect.Assert(t, icmd.Success)
	assert.Check(t, is.Contains(inspect.Stdout(), `"demo_web"`))

	e.run("stack", "rm", "demo").Assert(t, icmd.Success)
	e.waitGone(t, "demo")
	assert.Check(t, is.Equal(e.run("stack", "ls", "-q").Stdout(), "exos\n"))
	e.run("env", "rm", "dev").Assert(t, icmd.Success)
}

func publishedPort(t *testing.T, e *exos, service string) uint32 {
	svc, _, err := e.engine.ServiceInspectWithRaw(context.Background(), service, swarm.ServiceInspectOptions{})
	assert.NilError(t, err)
	return svc.Spec.EndpointSpec.Ports[0].PublishedPort
}

// httpGet fetches / from a host-mode published port, waiting for the service to answer.
func httpGet(t *testing.T, ip string, port int) string {
	var body string
	poll.WaitOn(t, func(poll.LogT) poll.Result {
		resp, err := http.Get(fmt.Sprintf("http://%s:%d/", ip, port))
		if err != nil {
			return poll.Continue("%v", err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		body = string(data)
		return poll.Success()
	}, poll.WithTimeout(30*time.Second), poll.WithDelay(200*time.Millisecond))
	return body
}
