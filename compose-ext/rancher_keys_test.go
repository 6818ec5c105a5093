package composeext

import (
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
)

// The compose v1 and v2 service keys Rancher ran: translated where Swarm has the same,
// refused where a Swarm service cannot do it.
func TestRancherServiceKeys(t *testing.T) {
	runRancherCases(t, []rancherCase{{
		name: "keepalived/0: network_mode: host joins the node's host network",
		compose: `version: '2'
services:
  keepalived-master:
    image: arcts/keepalived:1.1.0
    network_mode: host
    cap_add:
      - NET_ADMIN
`,
		warnings: []string{
			`docker-compose.yml:5: services.keepalived-master.network_mode: network_mode: host: the service joins the node's "host" network (networks: [host], external)`,
		},
		check: func(t *testing.T, st *Stack) {
			spec := service(t, st, "keepalived-master")
			assert.DeepEqual(t, spec.TaskTemplate.Networks, []swarm.NetworkAttachmentConfig{{Target: "host"}})
			assert.DeepEqual(t, st.Networks, []Network{{Name: "host", External: true}})
		},
	}, {
		name: "openhab/4: a host-network service publishes no ports; per-container volumes are one per task",
		compose: `version: '2'

services:
  openhab:
    image: "openhab/openhab:2.3.0-amd64-debian"
    network_mode: ${NETWORK_MODE}
    ports:
      - ${HTTP_PORT}:${HTTP_PORT}
    volumes:
      - "addons:/openhab/addons"

volumes:
  addons:
    driver: ${VOLUME_DRIVER}
    per_container: true
`,
		vars: map[string]string{"NETWORK_MODE": "host", "HTTP_PORT": "8080", "VOLUME_DRIVER": "local"},
		warnings: []string{
			`docker-compose.yml:6: services.openhab.network_mode: network_mode: host: the service joins the node's "host" network (networks: [host], external)`,
			"docker-compose.yml:7: services.openhab.ports: ports dropped: on the host network the container listens on the node's ports itself",
			"docker-compose.yml:15: volumes.addons.per_container: Rancher per-container volume: name {{.Service.Name}}-addons-{{.Task.Slot}}, " +
				"one volume per service and task slot",
		},
		check: func(t *testing.T, st *Stack) {
			spec := service(t, st, "openhab")
			assert.Check(t, spec.EndpointSpec == nil || len(spec.EndpointSpec.Ports) == 0)
			m := spec.TaskTemplate.ContainerSpec.Mounts[0]
			assert.Equal(t, m.Source, "{{.Service.Name}}-addons-{{.Task.Slot}}")
			assert.Equal(t, m.VolumeOptions.DriverConfig.Name, "local")
		},
	}, {
		name: "janitor/4: a service without a network is refused",
		compose: `cleanup:
  image: meltwater/docker-cleanup:1.8.0
  net: none
  volumes:
    - /var/run/docker.sock:/var/run/docker.sock
`,
		problems: []string{
			"docker-compose.yml:3: services.cleanup.net: not supported on Swarm: net: none: a Swarm service cannot run without a network " +
				"(the engine refuses the none network for services); remove it, and the service joins the stack's network",
		},
	}, {
		name: "es-cluster/7: mem_limit is a memory limit, mem_swappiness is dropped",
		compose: `version: '2'
services:
    es-master:
        image: docker.elastic.co/elasticsearch/elasticsearch:6.2.4
        mem_limit: ${master_mem_limit}
        mem_swappiness: 0
        cap_add:
            - IPC_LOCK
`,
		vars: map[string]string{"master_mem_limit": "1073741824"},
		warnings: []string{
			"docker-compose.yml:5: services.es-master.mem_limit: mem_limit: deploy.resources.limits.memory: 1073741824",
			"docker-compose.yml:6: services.es-master.mem_swappiness: mem_swappiness dropped: Swarm services cannot set it (the container runs with Docker's default)",
		},
		check: func(t *testing.T, st *Stack) {
			assert.Equal(t, service(t, st, "es-master").TaskTemplate.Resources.Limits.MemoryBytes, int64(1073741824))
		},
	}, {
		// No template of the snapshot sets cpu_quota or cpu_shares: this is es-cluster/7's
		// es-master with them added, as a Rancher v1 file could have them.
		name: "es-cluster/7 with cpu_quota: a CPU limit; cpu_shares dropped",
		compose: `version: '2'
services:
    es-master:
        image: docker.elastic.co/elasticsearch/elasticsearch:6.2.4
        cpu_quota: 50000
        cpu_shares: 512
`,
		warnings: []string{
			"docker-compose.yml:5: services.es-master.cpu_quota: cpu_quota: deploy.resources.limits.cpus: 0.5",
			"docker-compose.yml:6: services.es-master.cpu_shares: cpu_shares dropped: Swarm services cannot set it (the container runs with Docker's default)",
		},
		check: func(t *testing.T, st *Stack) {
			assert.Equal(t, service(t, st, "es-master").TaskTemplate.Resources.Limits.NanoCPUs, int64(500000000))
		},
	}, {
		name: "sentry/0: log_driver and log_opt are logging; empty ones are Docker's default",
		compose: `sentry-postgres:
  image: postgres:9.5.3
  log_driver: ''
  log_opt: {}
sentry-redis:
  image: redis:3.2.0-alpine
  log_driver: json-file
  log_opt:
    max-size: 10m
`,
		warnings: []string{
			"docker-compose.yml:7: services.sentry-redis.log_driver: compose v1 log_driver: logging.driver",
			"docker-compose.yml:8: services.sentry-redis.log_opt: compose v1 log_opt: logging.options",
		},
		check: func(t *testing.T, st *Stack) {
			assert.Check(t, service(t, st, "sentry-postgres").TaskTemplate.LogDriver == nil)
			assert.DeepEqual(t, service(t, st, "sentry-redis").TaskTemplate.LogDriver,
				&swarm.Driver{Name: "json-file", Options: map[string]string{"max-size": "10m"}})
		},
	}, {
		name: "consul/2: sharing another container's network stack is refused",
		compose: `consul-base:
  image: consul:1.0.1
  entrypoint:
    - /opt/rancher/bin/start_consul.sh
  net: "container:consul"
consul:
  image: consul:1.0.1
`,
		problems: []string{
			"docker-compose.yml:5: services.consul-base.net: not supported on Swarm: net: container:consul shares another container's network stack, " +
				"which a Swarm service cannot; make it a service of its own and reach the other one by its name",
		},
	}, {
		name: "portworx/0, rancher-bench-security/0, netdata/1, janitor/4: privileged, host namespaces are refused",
		compose: `portworx:
  image: portworx/px-dev:edge
  ipc: host
  privileged: true
rancher-bench-security:
  image: rancher/bench-security:1.13.0
  pid: host
netdata:
  image: titpetric/netdata:latest
  uts: host
`,
		problems: []string{
			"docker-compose.yml:3: services.portworx.ipc: not supported on Swarm: Swarm services cannot share the host's (or another container's) IPC namespace; run it with docker run",
			"docker-compose.yml:4: services.portworx.privileged: not supported on Swarm: Swarm services cannot run privileged containers; " +
				"grant what the container needs with cap_add, or run it with docker run",
			"docker-compose.yml:7: services.rancher-bench-security.pid: not supported on Swarm: Swarm services cannot share the host's (or another container's) process namespace; run it with docker run",
			"docker-compose.yml:10: services.netdata.uts: not supported on Swarm: Swarm services cannot share the host's UTS namespace; run it with docker run",
		},
	}, {
		name: "openhab/4: a device mapping is refused",
		compose: `version: '2'

services:
  openhab:
    image: "openhab/openhab:2.3.0-amd64-debian"
    devices:
     - "${DEVICE_MAPPING_1}"
`,
		vars: map[string]string{"DEVICE_MAPPING_1": "/dev/ttyACM0:/dev/ttyACM0"},
		problems: []string{
			"docker-compose.yml:6: services.openhab.devices: not supported on Swarm: Swarm services cannot map host devices; run it with docker run",
		},
	}, {
		name: "confluence/1: external links are refused",
		compose: `confluence:
  image: sanderkleykens/confluence:6.0.1
  external_links:
    - ${database_link}:database
`,
		vars: map[string]string{"database_link": "db/postgres"},
		problems: []string{
			"docker-compose.yml:3: services.confluence.external_links: not supported on Swarm: Rancher external links: Swarm has no links to containers " +
				"outside the stack; attach both stacks to an external network and use the other service's name",
		},
	}, {
		name: "xpilot/0: a link alias is a network alias of the linked service",
		compose: `server:
  image: sshipway/xpilot:latest
client:
  image: sshipway/xpilot:latest
  links:
  - server:xpilot
`,
		warnings: []string{
			"docker-compose.yml:5: services.client.links: Rancher links dropped: Swarm resolves service names on the stack's network; network aliases xpilot for server",
		},
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, service(t, st, "server").TaskTemplate.Networks,
				[]swarm.NetworkAttachmentConfig{{Target: "app_default", Aliases: []string{"xpilot", "server"}}})
		},
	}})
}
