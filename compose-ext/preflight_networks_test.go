package composeext

import (
	"testing"

	"gotest.tools/v3/assert"
)

// networkCompose attaches service web to network front, whose definition is def.
func networkCompose(def string) string {
	return "services:\n  web:\n    image: busybox\n    networks: [front]\nnetworks:\n  front:\n" + def
}

func TestPreflightNetworkDrivers(t *testing.T) {
	local := func(driver string) string {
		return `network "s_front": driver "` + driver + `" makes a network local to one node, which Swarm services cannot use (docker stack deploy would create it, then fail on the services): use driver: overlay, or create a swarm-scoped network yourself and declare it external: true`
	}
	runPreflightCases(t, []preflightCase{
		{"bridge", networkCompose("    driver: bridge\n"), []Problem{at(7, "networks.front.driver", local("bridge"))}},
		{"macvlan", networkCompose("    driver: macvlan\n"), []Problem{at(7, "networks.front.driver", local("macvlan"))}},
		{"host", networkCompose("    driver: host\n"), []Problem{
			at(7, "networks.front.driver", `network "s_front": driver "host" cannot make a second network (each node has its one "host" network): declare that one instead, with external: true and name: host`),
		}},
		{"null", networkCompose("    driver: \"null\"\n"), []Problem{
			at(7, "networks.front.driver", `network "s_front": driver "null" cannot make a second network (each node has its one "none" network): declare that one instead, with external: true and name: none`),
		}},
		{"none", networkCompose("    driver: none\n"), []Problem{
			at(7, "networks.front.driver", `network "s_front": driver "none" cannot make a second network (each node has its one "none" network): declare that one instead, with external: true and name: none`),
		}},
		{"windows nat", networkCompose("    driver: nat\n"), []Problem{at(7, "networks.front.driver", local("nat"))}},
		{"overlay", networkCompose("    driver: overlay\n"), nil},
		{"a plugin", networkCompose("    driver: weaveworks/net-plugin:latest_release\n"), nil},
		{"external bridge", networkCompose("    external: true\n    name: bridge\n"), nil},
	})
}

func TestPreflightNetworkSpecs(t *testing.T) {
	runPreflightCases(t, []preflightCase{
		{"predefined name", networkCompose("    name: host\n"), []Problem{
			at(7, "networks.front.name", `network name "host" is one of Docker's predefined networks, which cannot be created: declare it external: true to use it`),
		}},
		{"predefined label", networkCompose("    labels:\n      com.docker.swarm.predefined: \"true\"\n"), []Problem{
			at(7, "networks.front.labels", `label com.docker.swarm.predefined is reserved for Swarm's own networks: remove it`),
		}},
		{"subnet with host bits", networkCompose("    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n        - subnet: 10.0.1.1/24\n"), []Problem{
			at(10, "networks.front.ipam.config.1.subnet", `invalid subnet 10.0.1.1/24: it should be 10.0.1.0/24`),
		}},
		{"subnet not in CIDR notation", networkCompose("    ipam:\n      config:\n        - subnet: 10.0.0.0\n"), []Problem{
			at(9, "networks.front.ipam.config.0.subnet", `invalid subnet "10.0.0.0": give it in CIDR notation, such as 10.0.1.0/24`),
		}},
		{"ipam config without a subnet", networkCompose("    ipam:\n      config:\n        - {}\n"), []Problem{
			at(9, "networks.front.ipam.config.0.subnet", `invalid subnet "": give it in CIDR notation, such as 10.0.1.0/24`),
		}},
		{"the routing mesh", "services:\n  web:\n    image: busybox\n    networks: [mesh]\nnetworks:\n  mesh:\n    external: true\n    name: ingress\n", []Problem{
			at(4, "services.web.networks", `network "ingress" is Swarm's routing mesh, which services cannot join: publish ports to use it`),
		}},
	})
}

// An override that changes a stack network's driver is blamed, not the base file.
func TestPreflightNetworkDriverFromAnOverride(t *testing.T) {
	base := File{Name: "base.yml", Content: []byte(networkCompose("    driver: overlay\n"))}
	override := File{Name: "override.yml", Content: []byte("networks:\n  front:\n    driver: bridge\n")}
	got := snippetProblems(t, Input{Stack: "s", ComposeFiles: []File{base, override}})
	assert.DeepEqual(t, got, []Problem{{
		File: "override.yml", Line: 3, Key: "networks.front.driver",
		Message: `network "s_front": driver "bridge" makes a network local to one node, which Swarm services cannot use (docker stack deploy would create it, then fail on the services): use driver: overlay, or create a swarm-scoped network yourself and declare it external: true`,
	}})
}
