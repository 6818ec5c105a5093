package composeext

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func loadOne(t *testing.T, compose string, in Input) (*Stack, error) {
	t.Helper()
	in.Stack = "s"
	in.ComposeFiles = []File{{Name: "c.yml", Content: []byte(compose)}}
	return Load(context.Background(), in)
}

func warningStrings(ws []Problem) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.String())
	}
	return out
}

// An unset variable with no default is blank, with compose's warning, as docker stack
// deploy takes it; --strict refuses it.
func TestUnsetVariableIsAWarning(t *testing.T) {
	in := Input{Stack: "s", ComposeFiles: []File{testFile(t, "compose-missing-variable.yml")}}
	st, err := Load(context.Background(), in)
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(warningStrings(st.Warnings), []string{
		`compose-missing-variable.yml:4: services.web.command: The "SLEEP" variable is not set. Defaulting to a blank string.`,
	}))
	assert.Check(t, is.DeepEqual([]string(st.Services[0].Spec.TaskTemplate.ContainerSpec.Args), []string{"sleep"}))

	in.Strict = true
	ps := loadProblems(t, in)
	assert.Assert(t, is.Len(ps, 1))
	assert.Check(t, is.Equal(ps[0].String(), `compose-missing-variable.yml:4: services.web.command: refused by --strict (a warning otherwise): The "SLEEP" variable is not set. Defaulting to a blank string.`))
}

func TestInterpolationDefaultsAsDocker(t *testing.T) {
	compose := "services:\n  web:\n    image: exos/busybox:1\n    environment:\n      A: ${EMPTY:-soft}\n      B: ${EMPTY-hard}\n      C: ${UNSET-hard}\n"
	st, err := loadOne(t, compose, Input{Variables: map[string]string{"EMPTY": ""}})
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(st.Services[0].Spec.TaskTemplate.ContainerSpec.Env, []string{"A=soft", "B=", "C=hard"}))
	assert.Check(t, is.Len(st.Warnings, 0))

	_, err = loadOne(t, "services:\n  web:\n    image: exos/busybox:${TAG:?give a tag}\n", Input{})
	assert.ErrorContains(t, err, "c.yml:3: services.web.image: required variable TAG is missing a value: give a tag")
}

// A value an unset variable left invalid is refused, and the warning comes with the
// problem: it explains it.
func TestUnsetVariableExplainsTheProblem(t *testing.T) {
	_, err := loadOne(t, "services:\n  app:\n    image: exos/busybox:${APP_TAG}\n", Input{})
	assert.ErrorContains(t, err, `c.yml:3: services.app.image: The "APP_TAG" variable is not set.`)
	assert.ErrorContains(t, err, "services.app.image: invalid image reference for service app: invalid reference format")
}

// The keys docker ignores with a warning are taken, with its words, file, line and key.
func TestIgnoredKeysAreWarnings(t *testing.T) {
	st, err := Load(context.Background(), Input{Stack: "s", ComposeFiles: []File{testFile(t, "compose-unsupported.yml")}})
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(warningStrings(st.Warnings), []string{
		"compose-unsupported.yml:4: services.web.privileged: Ignoring unsupported options: privileged",
		"compose-unsupported.yml:5: services.web.network_mode: Ignoring unsupported options: network_mode",
	}))
}

const droppedCompose = `services:
  web:
    image: exos/busybox:1
    build: .
    container_name: web
    depends_on: [db]
    tmpfs: /tmp
    links: ["db:database", "db"]
    networks:
      back:
        ipv4_address: 10.0.0.5
  db:
    image: exos/busybox:1
    networks: [back]
networks:
  back:
    external:
      name: shared
`

// Keys docker drops without a word get a warning of ours that says what to do.
func TestDroppedKeysAreWarnings(t *testing.T) {
	st, err := loadOne(t, droppedCompose, Input{})
	assert.NilError(t, err)
	assert.Check(t, is.DeepEqual(warningStrings(st.Warnings), []string{
		"c.yml:4: services.web.build: Ignoring unsupported options: build",
		"c.yml:5: services.web.container_name: Ignoring deprecated options: container_name: Setting the container name is not supported.",
		"c.yml:6: services.web.depends_on: docker stack deploy drops it: Swarm starts services in no order, so make the service retry or wait for what it needs",
		"c.yml:7: services.web.tmpfs: docker stack deploy drops it: use a volumes entry with type: tmpfs instead",
		"c.yml:8: services.web.links: Ignoring unsupported options: links",
		`c.yml:8: services.web.links: link alias "database" does not resolve on Swarm (use a network alias)`,
		"c.yml:11: services.web.networks.back.ipv4_address: docker stack deploy drops it: Swarm assigns service addresses (use a network alias to name the service)",
		"c.yml:18: networks.back.external.name: network back: network.external.name is deprecated in favor of network.name",
	}))
}

// Keys docker refuses stay refused, with what to use instead.
func TestRefusedKeys(t *testing.T) {
	for _, tc := range []struct{ snippet, want string }{
		{"    mem_limit: 1g\n", "c.yml:4: services.web.mem_limit: not supported on Swarm: use deploy.resources.limits.memory"},
		{"    volumes_from: [db]\n", "c.yml:4: services.web.volumes_from: not supported on Swarm: share a named volume instead"},
		{"    cpus: 0.5\n", "c.yml:4: services.web.cpus: not supported on Swarm: use deploy.resources.limits.cpus"},
		{"    profiles: [debug]\n", "c.yml:4: services.web.profiles: not supported on Swarm: Swarm deploys every service of a stack"},
		{"    platform: linux/amd64\n", "c.yml:4: services.web.platform: not supported on Swarm"},
		{"    replics: 2\n", "c.yml:4: services.web.replics: unknown key"},
		{"    deploy:\n      resources:\n        reservations:\n          devices: [{capabilities: [gpu]}]\n",
			"c.yml:7: services.web.deploy.resources.reservations.devices: not supported on Swarm: use generic_resources"},
		{"    ports:\n      - {target: 80, published: 8080, host_ip: 127.0.0.1}\n",
			"c.yml:5: services.web.ports.0.host_ip: not supported on Swarm: Swarm publishes on every address"},
	} {
		t.Run(strings.Fields(tc.snippet)[0], func(t *testing.T) {
			compose := "services:\n  web:\n    image: exos/busybox:1\n" + tc.snippet + "volumes:\n  v:\n"
			_, err := loadOne(t, compose, Input{})
			assert.ErrorContains(t, err, tc.want)
		})
	}
	_, err := loadOne(t, "name: shop\nservices:\n  web:\n    image: exos/busybox:1\n", Input{})
	assert.ErrorContains(t, err, "c.yml:1: name: not supported on Swarm: the stack name is the argument of the deploy command")
	_, err = loadOne(t, "services:\n  web:\n    image: exos/busybox:1\nnetworks:\n  default:\n    enable_ipv6: true\n", Input{})
	assert.ErrorContains(t, err, "c.yml:6: networks.default.enable_ipv6: not supported on Swarm")
}

// Merge keys are the keys they merge: nothing unknown, warnings where the keys are.
func TestMergeKeys(t *testing.T) {
	compose := "version: \"3.8\"\nx-common: &common\n  image: exos/busybox:1\n  restart: always\n  expose: [\"80\"]\nservices:\n  a:\n    <<: *common\n  b:\n    <<: *common\n    replics: 1\n"
	_, err := loadOne(t, compose, Input{})
	var verr *ValidationError
	assert.Assert(t, asValidation(err, &verr))
	assert.Check(t, is.DeepEqual(problemStrings(verr.Problems), []string{"c.yml:11: services.b.replics: unknown key"}),
		"the line after the commented-out version is still 11")

	st, err := loadOne(t, strings.Replace(compose, "    replics: 1\n", "", 1), Input{})
	assert.NilError(t, err)
	assert.Check(t, is.Len(st.Warnings, 4))
	assert.Check(t, is.Equal(st.Warnings[0].String(), "c.yml:4: services.a.restart: Ignoring unsupported options: restart (docker stack deploy still uses it as the restart policy when deploy.restart_policy is not set)"))
}

func problemStrings(ps []Problem) []string { return warningStrings(ps) }

func asValidation(err error, target **ValidationError) bool {
	return errors.As(err, target)
}
