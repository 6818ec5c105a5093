package composeext

import (
	"testing"

	"gotest.tools/v3/assert"
)

func TestPreflightResources(t *testing.T) {
	runPreflightCases(t, []preflightCase{
		{"under the minimums", deployCompose("      resources:\n        limits:\n          cpus: '0.0001'\n          memory: 1M\n        reservations:\n          cpus: '-1'\n          memory: 4M\n"), []Problem{
			at(7, "services.web.deploy.resources.limits.cpus", "cpus 0.0001 is under Swarm's minimum of 0.001: give 0.001 or more, or leave it out"),
			at(8, "services.web.deploy.resources.limits.memory", "memory of 1048576 bytes is under Swarm's minimum of 4MiB (4194304 bytes): give 4M or more, or leave it out"),
			at(10, "services.web.deploy.resources.reservations.cpus", "cpus -1 is under Swarm's minimum of 0.001: give 0.001 or more, or leave it out"),
		}},
	})
}

// A problem points at the file that sets the value: the override, not the base.
func TestPreflightBlamesTheOverridingFile(t *testing.T) {
	base := File{Name: "base.yml", Content: []byte(deployCompose("      resources:\n        limits:\n          memory: 64M\n"))}
	override := File{Name: "override.yml", Content: []byte("services:\n  web:\n    deploy:\n      resources:\n        limits:\n          memory: 1M\n")}
	got := snippetProblems(t, Input{Stack: "s", ComposeFiles: []File{base, override}})
	assert.DeepEqual(t, got, []Problem{{
		File: "override.yml", Line: 6, Key: "services.web.deploy.resources.limits.memory",
		Message: "memory of 1048576 bytes is under Swarm's minimum of 4MiB (4194304 bytes): give 4M or more, or leave it out",
	}})
}

func TestPreflightRestartPolicy(t *testing.T) {
	runPreflightCases(t, []preflightCase{
		{"negative durations and an unknown condition", deployCompose("      restart_policy:\n        condition: always\n        delay: -1s\n        window: -2s\n"), []Problem{
			at(6, "services.web.deploy.restart_policy.condition", `unknown condition "always": use none, on-failure or any`),
			at(7, "services.web.deploy.restart_policy.delay", "delay -1s is negative, which Swarm refuses: use 0s or more"),
			at(8, "services.web.deploy.restart_policy.window", "window -2s is negative, which Swarm refuses: use 0s or more"),
		}},
		// docker stack deploy translates `restart:` into a policy Swarm takes.
		{"restart", "services:\n  web:\n    image: busybox\n    restart: on-failure:3\n", nil},
	})
}

func TestPreflightHealthcheck(t *testing.T) {
	const hc = "services:\n  web:\n    image: busybox\n    healthcheck:\n      test: [CMD, \"true\"]\n"
	runPreflightCases(t, []preflightCase{
		{"under a millisecond", hc + "      interval: -1s\n      timeout: 500us\n      start_period: 999us\n      start_interval: 1ms\n", []Problem{
			at(6, "services.web.healthcheck.interval", "interval -1s is under Swarm's minimum of 1ms: give 1ms or more, or leave it out"),
			at(7, "services.web.healthcheck.timeout", "timeout 500µs is under Swarm's minimum of 1ms: give 1ms or more, or leave it out"),
			at(8, "services.web.healthcheck.start_period", "start_period 999µs is under Swarm's minimum of 1ms: give 1ms or more, or leave it out"),
		}},
		// An EXOS health_check replaces the compose one.
		{"replaced", hc + "      interval: -1s\n    x-exos:\n      health_check:\n        port: 80\n", nil},
	})
}

func TestPreflightTemplates(t *testing.T) {
	const fix = `: write a literal {{ as {{"{{"}}`
	runPreflightCases(t, []preflightCase{
		{"environment", "services:\n  web:\n    image: busybox\n    environment:\n      PS1: '{{user}}> '\n      OK: '{{.Task.Slot}}'\n", []Problem{
			at(5, "services.web.environment.PS1", `environment variable PS1: Swarm expands {{ }} in it as a Go template and refuses this one (template: expansion:1: function "user" not defined)`+fix),
		}},
		// Swarm tries templates on a task of a service without labels.
		{"service labels", "services:\n  web:\n    image: busybox\n    environment:\n      - ZONE={{.Service.Labels.zone}}\n", []Problem{
			at(4, "services.web.environment.ZONE", `environment variable ZONE: Swarm expands {{ }} in it as a Go template and refuses this one (template: expansion:1:10: executing "expansion" at <.Service.Labels.zone>: map has no entry for key "zone")`+fix),
		}},
		{"hostname", "services:\n  web:\n    image: busybox\n    hostname: '{{.Node.Name}}'\n", []Problem{
			at(4, "services.web.hostname", `hostname: Swarm expands {{ }} in it as a Go template and refuses this one (template: expansion:1:7: executing "expansion" at <.Node.Name>: can't evaluate field Name in type composeext.templateNode)`+fix),
		}},
		{"mount target", "services:\n  web:\n    image: busybox\n    volumes:\n      - type: tmpfs\n        target: '/run/{{.Task.Slot'\n", []Problem{
			at(5, "services.web.volumes.0", `mount target: Swarm expands {{ }} in it as a Go template and refuses this one (template: expansion:1: unclosed action)`+fix),
		}},
	})
}
