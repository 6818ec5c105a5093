//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
	"gotest.tools/v3/icmd"

	"github.com/exos-platform/exos/e2e/testbed"
	"github.com/exos-platform/exos/manager/api"
)

// sample reads a real deploy hook payload of manager/hooks/testdata as a JSON tree.
func sample(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "manager", "hooks", "testdata", name))
	assert.NilError(t, err)
	var tree map[string]any
	assert.NilError(t, json.Unmarshal(data, &tree))
	return tree
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	assert.NilError(t, err)
	return data
}

// registryNotification is the real registry push event adapted to the bed's registry:
// event id, repository, tag and digest.
func (b *hookBed) registryNotification(t *testing.T, id, pinned string) []byte {
	t.Helper()
	tag, digest := tagAndDigest(pinned)
	body := sample(t, "registry-push-event.json")
	event := body["events"].([]any)[0].(map[string]any)
	event["id"] = id
	target := event["target"].(map[string]any)
	target["repository"], target["tag"], target["digest"] = "team/app", tag, digest
	target["url"] = "https://" + b.reg.Addr + "/v2/team/app/manifests/" + digest
	event["request"].(map[string]any)["host"] = b.reg.Addr
	return marshal(t, body)
}

// harborPush is the Harbor PUSH_ARTIFACT sample adapted to the bed's repository.
func (b *hookBed) harborPush(t *testing.T, pinned string) []byte {
	t.Helper()
	tag, digest := tagAndDigest(pinned)
	body := sample(t, "harbor-push-artifact.json")
	data := body["event_data"].(map[string]any)
	resource := data["resources"].([]any)[0].(map[string]any)
	resource["tag"], resource["digest"], resource["resource_url"] = tag, digest, b.repo+":"+tag
	repo := data["repository"].(map[string]any)
	repo["name"], repo["namespace"], repo["repo_full_name"] = "app", "team", "team/app"
	return marshal(t, body)
}

func tagAndDigest(pinned string) (string, string) {
	named, digest, _ := strings.Cut(pinned, "@")
	return named[strings.LastIndex(named, ":")+1:], digest
}

func nativeBody(t *testing.T, repo, pinned string) []byte {
	tag, digest := tagAndDigest(pinned)
	return marshal(t, map[string]string{"image": repo, "tag": tag, "digest": digest})
}

// Every body format a deploy hook accepts, from real samples, deploys to the real swarm;
// a duplicate or a retry deploys nothing more; every bad delivery is refused with the
// status docs/cicd.md gives and changes nothing; the token is never logged.
func TestDeployHookBodiesOnARealSwarm(t *testing.T) {
	b := startHookBed(t, "--tag-pattern", "[0-9]*")
	ctx := context.Background()

	// Native, with the digest, the token as a bearer; then the same body again: 200.
	second := b.push(t, "2", b.serving("2"))
	res := b.deliver(t, "", nativeBody(t, b.repo, second))
	assert.Assert(t, is.Equal(res.status, http.StatusAccepted), res.body)
	assert.Check(t, is.Equal(res.accepted.Image, second))
	assert.Check(t, strings.HasPrefix(res.accepted.StatusURL, b.hook.URL+"/deployments/"), res.accepted.StatusURL)
	assert.Check(t, is.Equal(b.settles(t, res.accepted.DeploymentID).Status, api.DeploymentConverged))
	b.runs(t, second)
	res = b.deliver(t, "", nativeBody(t, b.repo, second))
	assert.Check(t, is.Equal(res.status, http.StatusOK), res.body)
	assert.Check(t, res.accepted.Unchanged, res.body)

	// ?tag= with an empty body, the token in ?token=: the tag is resolved.
	third := b.push(t, "3", b.serving("3"))
	res = b.send(t, b.hook.URL+"?tag=3&token="+b.hook.Token, nil)
	assert.Assert(t, is.Equal(res.status, http.StatusAccepted), res.body)
	assert.Check(t, is.Equal(res.accepted.Image, third), "the tag is pinned to what the registry has")
	assert.Check(t, is.Equal(b.settles(t, res.accepted.DeploymentID).Status, api.DeploymentConverged))
	b.runs(t, third)

	// Harbor's PUSH_ARTIFACT, the token in the path.
	fourth := b.push(t, "4", b.serving("4"))
	res = b.send(t, b.hook.URL+"/"+b.hook.Token, b.harborPush(t, fourth))
	assert.Assert(t, is.Equal(res.status, http.StatusAccepted), res.body)
	assert.Check(t, is.Equal(b.settles(t, res.accepted.DeploymentID).Status, api.DeploymentConverged))
	b.runs(t, fourth)

	// A registry notification, then the registry's retry of it: one deploy.
	fifth := b.push(t, "5", b.serving("5"))
	event := b.registryNotification(t, "e2e-push-5", fifth)
	res = b.deliver(t, "", event)
	assert.Assert(t, is.Equal(res.status, http.StatusAccepted), res.body)
	deployment := res.accepted.DeploymentID
	again := b.deliver(t, "", event)
	assert.Check(t, is.Equal(again.status, http.StatusOK), again.body)
	assert.Check(t, again.accepted.Duplicate, again.body)
	assert.Check(t, is.Equal(b.settles(t, deployment).Status, api.DeploymentConverged))
	b.runs(t, fifth)
	again = b.deliver(t, "", event)
	assert.Check(t, is.Equal(again.status, http.StatusOK), again.body)
	deployed := 0
	for _, d := range b.deliveries(t) {
		if d["Image"] == fifth && d["Outcome"] == api.DeliveryDeployed {
			deployed++
		}
	}
	assert.Check(t, is.Equal(deployed, 1), "one deploy for one registry event")

	// Two pushes in quick succession: the newer is deployed, and the older ends (it
	// converged, or the newer replaced it), so that no CI polls it forever.
	sixth, seventh := b.push(t, "6", b.serving("6")), b.push(t, "7", b.serving("7"))
	older, newer := b.deliver(t, "", nativeBody(t, b.repo, sixth)), b.deliver(t, "", nativeBody(t, b.repo, seventh))
	assert.Assert(t, is.Equal(older.status, http.StatusAccepted), older.body)
	assert.Assert(t, is.Equal(newer.status, http.StatusAccepted), newer.body)
	status := b.settles(t, older.accepted.DeploymentID).Status
	assert.Check(t, status == api.DeploymentConverged || status == api.DeploymentSuperseded, status)
	assert.Check(t, is.Equal(b.settles(t, newer.accepted.DeploymentID).Status, api.DeploymentConverged))
	b.runs(t, seventh)

	// Bad deliveries: refused, and nothing changes.
	eighth := b.push(t, "8", b.serving("8"))
	other := b.reg.Addr + "/team/other"
	cases := []struct {
		name, query string
		body        []byte
		status      int
		says        string
	}{
		{"another repository", "", nativeBody(t, other, eighth), http.StatusForbidden, "outside the scope"},
		{"a tag outside the pattern", "?tag=v8", nil, http.StatusForbidden, "tag pattern"},
		{"an unknown tag", "?tag=99", nil, http.StatusUnprocessableEntity, "has no tag"},
		{"a malformed body", "", []byte(`{"image":`), http.StatusBadRequest, "not a JSON object"},
	}
	before := b.service(t, "shop_web").Version.Index
	revisions, err := b.api.StackHistory(ctx, "shop")
	assert.NilError(t, err)
	for _, tc := range cases {
		res := b.deliver(t, tc.query, tc.body)
		assert.Check(t, is.Equal(res.status, tc.status), "%s: %s", tc.name, res.body)
		assert.Check(t, is.Contains(res.body, tc.says), tc.name)
	}
	b.reg.Stop()
	res = b.deliver(t, "?tag=8", nil)
	assert.Check(t, is.Equal(res.status, http.StatusBadGateway), res.body)
	assert.Check(t, res.retryAfter != "", "a 502 says when to retry")
	b.run("hook", "revoke", b.hook.ID).Assert(t, icmd.Success)
	res = b.deliver(t, "", nativeBody(t, b.repo, eighth))
	assert.Check(t, is.Equal(res.status, http.StatusUnauthorized), res.body)
	assert.Check(t, is.Equal(b.service(t, "shop_web").Version.Index, before), "a refused delivery changed the service")
	after, err := b.api.StackHistory(ctx, "shop")
	assert.NilError(t, err)
	assert.Check(t, is.Len(after, len(revisions)), "a refused delivery made a revision")
	b.runs(t, seventh)

	// Docker Hub names docker.io repositories, with no digest: a stack of one, whose
	// registry EXOS does not know, gets the pushed tag (the node has it).
	hub := b.dockerHubStack(t)
	res = b.send(t, hub.URL, marshal(t, sample(t, "dockerhub-push.json")), "Authorization", "Bearer "+hub.Token)
	assert.Assert(t, is.Equal(res.status, http.StatusAccepted), res.body)
	assert.Check(t, is.Equal(res.accepted.Image, "docker.io/exosdemo/shop:1.4.2"))
	assert.Check(t, is.Equal(b.settlesOn(t, hub, res.accepted.DeploymentID).Status, api.DeploymentConverged))
	b.serviceRuns(t, "hub_web", "exosdemo/shop:1.4.2")

	b.tokenNotLogged(t, hub.Token)
}

// dockerHubStack deploys stack hub, whose service web runs exosdemo/shop:1.4.1 (the
// name of the Docker Hub sample), tags 1.4.1 and 1.4.2 of it on node 1, and returns a
// deploy hook for it.
func (b *hookBed) dockerHubStack(t *testing.T) deployHookSecret {
	t.Helper()
	b.docker("tag", testbed.BusyboxImageRef, "exosdemo/shop:1.4.1").Assert(t, icmd.Success)
	build := icmd.Command("docker", "build", "-q", "-t", "exosdemo/shop:1.4.2", "-")
	dockerfile := "FROM " + testbed.BusyboxImageRef + "\nLABEL io.exos.test.build=1.4.2\n"
	icmd.RunCmd(build, icmd.WithEnv(append(b.env(1), "DOCKER_BUILDKIT=0")...), icmd.WithStdin(strings.NewReader(dockerfile))).Assert(t, icmd.Success)
	file := filepath.Join(t.TempDir(), "docker-compose.yml")
	assert.NilError(t, os.WriteFile(file, []byte(`services:
  web:
    image: exosdemo/shop:1.4.1
    command: httpd -f -p 8080 -h /
    init: true
    stop_grace_period: 1s
`), 0o600))
	b.run("stack", "deploy", "-c", file, "--wait", "--timeout", "2m", "hub").Assert(t, icmd.Success)
	res := b.run("hook", "create", "deploy", "--stack", "hub", "--service", "web", "--repository", "exosdemo/shop", "--format", "json")
	res.Assert(t, icmd.Success)
	var hook deployHookSecret
	assert.NilError(t, json.Unmarshal([]byte(res.Stdout()), &hook), res.Stdout())
	return hook
}
