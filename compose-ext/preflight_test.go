package composeext

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

// preflightCase is a compose file (c.yml, under stack s, with preflightVariables) and
// the problems Load returns for it, nil when it loads.
type preflightCase struct {
	name    string
	compose string
	want    []Problem
}

var preflightVariables = map[string]string{"PW": "s3cret", "EMPTY": ""}

func runPreflightCases(t *testing.T, cases []preflightCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Stack: "s", ComposeFiles: []File{cfile(tc.compose)}, Variables: preflightVariables}
			assert.DeepEqual(t, snippetProblems(t, in), tc.want)
		})
	}
}

func cfile(content string) File {
	return File{Name: "c.yml", Content: []byte(content)}
}

// snippetProblems loads in and returns its problems, nil when it loads.
func snippetProblems(t *testing.T, in Input) []Problem {
	t.Helper()
	_, err := Load(context.Background(), in)
	if err == nil {
		return nil
	}
	var verr *ValidationError
	assert.Assert(t, errors.As(err, &verr), "got %v", err)
	return verr.Problems
}

// at is a problem in c.yml.
func at(line int, key, message string) Problem {
	return Problem{File: "c.yml", Line: line, Key: key, Message: message}
}

func TestPreflightRefusesAStackWithoutServices(t *testing.T) {
	runPreflightCases(t, []preflightCase{
		{"empty services", "services: {}\n", []Problem{
			at(1, "services", "no services: a stack needs at least one service"),
		}},
		{"no services key", "networks:\n  front: {}\n", []Problem{
			at(0, "services", "no services: a stack needs at least one service"),
		}},
	})
}

// validEdges holds values at Swarm's limits, and values Swarm takes that look wrong: a
// false refusal would break a stack that deploys with docker stack deploy.
var validEdges = `services:
  web:
    image: busybox
    hostname: "{{.Node.Hostname}}-{{.Task.Slot}}"
    environment:
      SLOT: "{{.Task.Slot}}"
      LABEL: '{{index .Service.Labels "x"}}'
      JOINED: '{{join "-" "a" "b"}}'
      PLAIN: "a } b { c"
    healthcheck:
      test: [CMD, "true"]
      interval: 1ms
      timeout: 0s
    ports:
      - 8080:80
      - 8080:80/udp
      - target: 81
        published: 9000
        mode: host
    deploy:
      resources:
        limits: {cpus: "0.001", memory: 4M, pids: -1}
        reservations: {cpus: "0", memory: 4M}
      restart_policy: {condition: on-failure, delay: 0s, window: 0s}
      update_config: {delay: 0s, monitor: 0s, max_failure_ratio: 1, failure_action: rollback, order: start-first}
      rollback_config: {delay: -1s, max_failure_ratio: 3}
      placement:
        constraints: [node.role==manager, "node.labels.disk != ssd", node.ip==10.0.0.0/8, engine.labels.os==linux]
        preferences: [{spread: node.labels.zone}]
    volumes:
      - type: volume
        source: data
        target: /data
    networks: [front, plugin]
  api:
    image: busybox
    ports:
      - target: 81
        published: 9000
        mode: host
  a234567890234567890234567890234567890234567890234567890234567:
    image: busybox
    networks: [hostnet]
  job:
    image: busybox
    deploy:
      mode: replicated-job
      rollback_config: {parallelism: 1}
networks:
  front:
    driver: overlay
    ipam:
      config: [{subnet: 10.1.0.0/24}, {subnet: "fd00::1/64"}]
  plugin: {driver: weave}
  hostnet: {external: true, name: host}
volumes:
  data:
    name: a.volume_name-2
configs:
  c64:
    name: a234567890234567890234567890234567890234567890234567890234567890
    content: x
`

func TestPreflightAcceptsWhatSwarmAccepts(t *testing.T) {
	st, err := Load(context.Background(), Input{Stack: "s", ComposeFiles: []File{cfile(validEdges)}})
	assert.NilError(t, err)
	assert.Check(t, is.Len(st.Warnings, 0), "%v", st.Warnings)
}

// The exos decode refuses negative replicas with their line; the preflight still holds
// Swarm's rule for a spec that gets one some other way.
func TestPreflightRefusesReplicasOverSwarmsMaximum(t *testing.T) {
	huge := ^uint64(0)
	p := &types.Project{Services: types.Services{"web": {Name: "web"}}}
	files := []composeFile{{File: cfile("services:\n  web:\n    deploy:\n      replicas: 1\n")}}
	files[0].root, _ = parseNode(files[0].Content)
	st := &Stack{files: files, Services: []Service{{Name: "web", Spec: swarm.ServiceSpec{
		Annotations:  swarm.Annotations{Name: "s_web"},
		TaskTemplate: swarm.TaskSpec{ContainerSpec: &swarm.ContainerSpec{}},
		Mode:         swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: &huge}},
	}}}}
	ps := &problems{}
	checkPreflight(p, Input{Stack: "s"}, st, ps)
	assert.DeepEqual(t, ps.list, []Problem{
		at(4, "services.web.deploy.replicas", "must be at most 9223372036854775807, Swarm's maximum of replicas"),
	})
}

// long repeats s to n characters.
func long(s string, n int) string {
	return strings.Repeat(s, n/len(s)+1)[:n]
}
