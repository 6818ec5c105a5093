package composeext

import (
	"testing"

	"gotest.tools/v3/assert"
)

// deployCompose is service web with a deploy block whose settings are deploy.
func deployCompose(deploy string) string {
	return "services:\n  web:\n    image: busybox\n    deploy:\n" + deploy
}

func TestPreflightUpdateConfigs(t *testing.T) {
	runPreflightCases(t, []preflightCase{
		{"update config values", deployCompose("      update_config:\n        delay: -5s\n        monitor: -1s\n        max_failure_ratio: 2\n        failure_action: bogus\n      rollback_config:\n        failure_action: nope\n"), []Problem{
			at(6, "services.web.deploy.update_config.delay", "delay -5s is negative, which Swarm refuses: use 0s or more"),
			at(7, "services.web.deploy.update_config.monitor", "monitor -1s is negative, which Swarm refuses: use 0s or more"),
			at(8, "services.web.deploy.update_config.max_failure_ratio", "max_failure_ratio 2 is not between 0 and 1, which Swarm refuses: give the fraction of failed tasks to tolerate, such as 0.2"),
			at(9, "services.web.deploy.update_config.failure_action", `unknown failure_action "bogus": use pause, continue or rollback`),
			at(11, "services.web.deploy.rollback_config.failure_action", `unknown failure_action "nope": use pause, continue or rollback`),
		}},
		{"a job with an update config", deployCompose("      mode: global-job\n      update_config:\n        parallelism: 2\n"), []Problem{
			at(6, "services.web.deploy.update_config", "a job (deploy.mode: global-job) cannot have an update_config, which Swarm refuses: remove it"),
		}},
		{"a job with an upgrade strategy", deployCompose("      mode: replicated-job\n    x-exos:\n      upgrade_strategy:\n        batch_size: 2\n"), []Problem{
			at(7, "services.web.x-exos.upgrade_strategy", "a job cannot have an upgrade_strategy: Swarm refuses update settings on jobs, so remove it"),
		}},
	})
}

func TestPreflightPorts(t *testing.T) {
	runPreflightCases(t, []preflightCase{
		{"twice in one service", "services:\n  web:\n    image: busybox\n    ports:\n      - 8080:80\n      - 8080:81\n", []Problem{
			at(4, "services.web.ports", "published port 8080/tcp is published twice: Swarm refuses the same published port twice in one service, so remove one"),
		}},
		{"ingress in two services", "services:\n  api:\n    image: busybox\n    ports: [\"8080:80\"]\n  web:\n    image: busybox\n    ports: [\"8080:80\"]\n", []Problem{
			at(7, "services.web.ports", `published port 8080/tcp is also published by service "api", and Swarm gives a port published in ingress mode to one service only: publish another port, or use mode: host on both`),
		}},
		{"ingress and host", "services:\n  api:\n    image: busybox\n    ports:\n      - {target: 80, published: 53, protocol: udp, mode: host}\n  web:\n    image: busybox\n    ports: [\"53:53/udp\"]\n", []Problem{
			at(8, "services.web.ports", `published port 53/udp is also published by service "api", and Swarm gives a port published in ingress mode to one service only: publish another port, or use mode: host on both`),
		}},
		{"dnsrr with the routing mesh", deployCompose("      endpoint_mode: dnsrr\n    ports:\n      - \"80\"\n      - target: 81\n        published: 81\n        mode: host\n"), []Problem{
			at(6, "services.web.ports", "port 80/tcp (target) is published in ingress mode, which Swarm refuses with endpoint_mode: dnsrr: publish it with mode: host"),
		}},
		{"unknown endpoint mode", deployCompose("      endpoint_mode: rr\n"), []Problem{
			at(5, "services.web.deploy.endpoint_mode", `unknown endpoint_mode "rr": use vip or dnsrr`),
		}},
	})
}

// EXOS numbers are refused with their line, not bent by the decode: a negative scale
// would reach Swarm as 18446744073709551615 replicas.
func TestPreflightExosNumbers(t *testing.T) {
	const compose = "services:\n  web:\n    image: busybox\n"
	xexos := func(block string) File { return cfile(compose + "    x-exos:\n" + block) }
	exosFile := func(entry string) *File {
		return &File{Name: "exos-compose.yml", Content: []byte("services:\n  web:\n" + entry)}
	}
	exos := func(line int, key, message string) Problem {
		return Problem{File: "exos-compose.yml", Line: line, Key: key, Message: message}
	}
	cases := []struct {
		name string
		in   Input
		want []Problem
	}{
		{"negative scale", Input{ComposeFiles: []File{xexos("      scale: -1\n")}}, []Problem{
			at(5, "services.web.x-exos.scale", "'scale' must be 0 or more, not -1"),
		}},
		{"fractional scale", Input{ComposeFiles: []File{xexos("      scale: 1.5\n")}}, []Problem{
			at(5, "services.web.x-exos.scale", "'scale' must be a whole number, not 1.5"),
		}},
		{"scale over MaxInt64", Input{ComposeFiles: []File{cfile(compose)}, ExosFile: exosFile("    scale: 18446744073709551615\n")}, []Problem{
			exos(3, "services.web.scale", "'scale' must be at most 9223372036854775807, not 18446744073709551615"),
		}},
		{"negative batch size", Input{ComposeFiles: []File{cfile(compose)}, ExosFile: exosFile("    upgrade_strategy:\n      batch_size: -1\n")}, []Problem{
			exos(4, "services.web.upgrade_strategy.batch_size", "'upgrade_strategy.batch_size' must be 0 or more, not -1"),
		}},
		{"negative interval", Input{ComposeFiles: []File{cfile(compose)}, ExosFile: exosFile("    upgrade_strategy:\n      interval_millis: -5\n")}, []Problem{
			exos(4, "services.web.upgrade_strategy.interval_millis", "must not be negative (it is Swarm's update delay)"),
		}},
		{"a job with an upgrade strategy", Input{ComposeFiles: []File{cfile(deployCompose("      mode: replicated-job\n"))}, ExosFile: exosFile("    upgrade_strategy:\n      start_first: true\n")}, []Problem{
			exos(3, "services.web.upgrade_strategy", "a job cannot have an upgrade_strategy: Swarm refuses update settings on jobs, so remove it"),
		}},
		{"scale 0", Input{ComposeFiles: []File{xexos("      scale: 0\n")}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Stack = "s"
			assert.DeepEqual(t, snippetProblems(t, tc.in), tc.want)
		})
	}
}
