package composeext

import (
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
)

// Rancher's labels: the scheduling and container labels Swarm can express are
// translated, those that change nothing are dropped, each with a warning; those asking
// for what Swarm cannot do are refused.
func TestRancherLabels(t *testing.T) {
	runRancherCases(t, []rancherCase{{
		name: "traefik/33: global, a host label, the self anti-affinity of a global service, the hostname of each node's task",
		compose: `version: '2'
services:
  traefik:
    ports:
    - ${admin_port}:${admin_port}/tcp
    labels:
      io.rancher.scheduler.global: 'true'
      io.rancher.scheduler.affinity:host_label: ${host_label}
      io.rancher.scheduler.affinity:container_label_ne: io.rancher.stack_service.name=$${stack_name}/$${service_name}
      io.rancher.container.hostname_override: container_name
    image: rawmind/alpine-traefik:1.7.18-0
`,
		rancher: `version: '2'
services:
  traefik:
    scale: 2
`,
		vars: map[string]string{"admin_port": "8000", "host_label": "traefik_lb=true"},
		warnings: []string{
			"docker-compose.yml:7: services.traefik.labels.io.rancher.scheduler.global: Rancher global service: deploy.mode: global (one task on every node)",
			"docker-compose.yml:8: services.traefik.labels.io.rancher.scheduler.affinity:host_label: Rancher host label rule: " +
				"deploy.placement.constraints node.labels.traefik_lb==true (label the nodes with docker node update --label-add)",
			"docker-compose.yml:9: services.traefik.labels.io.rancher.scheduler.affinity:container_label_ne: " +
				"Rancher anti-affinity with its own containers dropped: a global service runs one task a node anyway",
			"docker-compose.yml:10: services.traefik.labels.io.rancher.container.hostname_override: Rancher hostname override: " +
				"hostname app-traefik-{{.Node.Hostname}}, one per task as Rancher's container names were (with the node's hostname); " +
				"other services still reach it by its service name, not by this hostname",
			"rancher-compose.yml:4: services.traefik.scale: scale dropped: a global service runs one task on every node",
		},
		check: func(t *testing.T, st *Stack) {
			spec := service(t, st, "traefik")
			assert.DeepEqual(t, spec.Mode, swarm.ServiceMode{Global: &swarm.GlobalService{}})
			assert.DeepEqual(t, spec.TaskTemplate.Placement.Constraints, []string{"node.labels.traefik_lb==true"})
			assert.Equal(t, spec.TaskTemplate.ContainerSpec.Hostname, "app-traefik-{{.Node.Hostname}}")
			assert.DeepEqual(t, spec.TaskTemplate.ContainerSpec.Labels, map[string]string{labelNamespace: "app"})
		},
	}, {
		name: "nextcloud/0: the hostname of each replica, by slot",
		compose: `version: '2'
services:
  mariadb:
    image: mariadb:10
    labels:
      io.rancher.container.hostname_override: container_name
`,
		warnings: []string{
			"docker-compose.yml:6: services.mariadb.labels.io.rancher.container.hostname_override: Rancher hostname override: " +
				"hostname app-mariadb-{{.Task.Slot}}, one per task as Rancher's container names were (with the task's slot); " +
				"other services still reach it by its service name, not by this hostname",
		},
		check: func(t *testing.T, st *Stack) {
			assert.Equal(t, service(t, st, "mariadb").TaskTemplate.ContainerSpec.Hostname, "app-mariadb-{{.Task.Slot}}")
		},
	}, {
		name: "etcd-ha/7: a hard anti-affinity with its own containers is one task a node; a soft host label is dropped",
		compose: `etcd:
  image: rancher/etcd:v3.2.9-1
  labels:
    io.rancher.scheduler.affinity:host_label_soft: etcd=true
    io.rancher.scheduler.affinity:container_label_ne: io.rancher.stack_service.name=$${stack_name}/$${service_name}
`,
		rancher: `etcd:
  scale: 3
`,
		warnings: []string{
			"docker-compose.yml:4: services.etcd.labels.io.rancher.scheduler.affinity:host_label_soft: Rancher soft scheduling rule dropped: " +
				"Swarm has no preferred placement of this kind (it spreads a service's tasks over the nodes by itself)",
			"docker-compose.yml:5: services.etcd.labels.io.rancher.scheduler.affinity:container_label_ne: Rancher anti-affinity with its own containers: " +
				"deploy.placement.max_replicas_per_node: 1 (tasks that find no free node stay pending)",
		},
		check: func(t *testing.T, st *Stack) {
			spec := service(t, st, "etcd")
			assert.Equal(t, *spec.Mode.Replicated.Replicas, uint64(3))
			assert.Equal(t, spec.TaskTemplate.Placement.MaxReplicas, uint64(1))
		},
	}, {
		name: "janitor/4 and keepalived/0: host_label_ne is !=, host_label key=value from answers, comma lists",
		compose: `cleanup:
  image: meltwater/docker-cleanup:1.8.0
  labels:
     io.rancher.scheduler.affinity:host_label_ne: "${EXCLUDE_LABEL}"
     io.rancher.scheduler.affinity:host_label: ${host_label}=${master_label}
`,
		vars: map[string]string{"EXCLUDE_LABEL": "janitor.exclude=true, role=db", "host_label": "keepalived", "master_label": "master"},
		warnings: []string{
			"docker-compose.yml:4: services.cleanup.labels.io.rancher.scheduler.affinity:host_label_ne: Rancher host label rule: " +
				"deploy.placement.constraints node.labels.janitor.exclude!=true, node.labels.role!=db (label the nodes with docker node update --label-add)",
			"docker-compose.yml:5: services.cleanup.labels.io.rancher.scheduler.affinity:host_label: Rancher host label rule: " +
				"deploy.placement.constraints node.labels.keepalived==master (label the nodes with docker node update --label-add)",
		},
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, service(t, st, "cleanup").TaskTemplate.Placement.Constraints,
				[]string{"node.labels.janitor.exclude!=true", "node.labels.role!=db", "node.labels.keepalived==master"})
		},
	}, {
		name: "plone/1: an empty host label answer places nothing; a soft anti-affinity and a label unknown to Rancher",
		compose: `zeoserver:
  image: plone:5.0
  labels:
    io.rancher.scheduler.affinity:host_label: ${host_label}
    io.rancher.scheduler.affinity:container_label_soft_ne: io.rancher.community.plone=true
    io.rancher.community.plone: "true"
`,
		vars: map[string]string{"host_label": ""},
		warnings: []string{
			"docker-compose.yml:4: services.zeoserver.labels.io.rancher.scheduler.affinity:host_label: Rancher scheduling rule dropped: it is empty, so it placed nothing",
			"docker-compose.yml:5: services.zeoserver.labels.io.rancher.scheduler.affinity:container_label_soft_ne: Rancher soft scheduling rule dropped: " +
				"Swarm has no preferred placement of this kind (it spreads a service's tasks over the nodes by itself)",
			"docker-compose.yml:6: services.zeoserver.labels.io.rancher.community.plone: Rancher label unknown to EXOS: kept as a plain label, which Swarm gives no meaning",
		},
		check: func(t *testing.T, st *Stack) {
			spec := service(t, st, "zeoserver")
			assert.Check(t, spec.TaskTemplate.Placement.Constraints == nil)
			assert.DeepEqual(t, spec.TaskTemplate.ContainerSpec.Labels, map[string]string{labelNamespace: "app", "io.rancher.community.plone": "true"})
		},
	}, {
		name: "xpilot/0: a run-once container is a replicated job, its soft affinity dropped",
		compose: `client:
  image: sshipway/xpilot:latest
  command:
  - xpilot
  labels:
    io.rancher.scheduler.affinity:container_label_soft: xpilot=server
    io.rancher.container.start_once: 'true'
`,
		rancher: `client:
  scale: 2
  upgrade_strategy:
    start_first: true
`,
		warnings: []string{
			"docker-compose.yml:6: services.client.labels.io.rancher.scheduler.affinity:container_label_soft: Rancher soft scheduling rule dropped: " +
				"Swarm has no preferred placement of this kind (it spreads a service's tasks over the nodes by itself)",
			"docker-compose.yml:7: services.client.labels.io.rancher.container.start_once: Rancher run-once container: deploy.mode: replicated-job " +
				"(Swarm runs each task to its end and does not restart it once it succeeded)",
			"rancher-compose.yml:3: services.client.upgrade_strategy: upgrade_strategy dropped: a job is not updated, it runs again",
		},
		check: func(t *testing.T, st *Stack) {
			spec := service(t, st, "client")
			assert.DeepEqual(t, spec.Mode, swarm.ServiceMode{ReplicatedJob: &swarm.ReplicatedJob{MaxConcurrent: ptr(uint64(2)), TotalCompletions: ptr(uint64(2))}})
			assert.Check(t, spec.UpdateConfig == nil)
		},
	}, {
		name: "openfaas/0, quasardb-community/0, etcd-ha/2, registry-convoy/0: labels that change nothing on Swarm",
		compose: `version: '2'
services:
  gateway:
    image: functions/gateway:0.6.2
    labels:
      io.rancher.container.pull_image: always
      io.rancher.container.dns: 'true'
      io.rancher.service.allocate.skip.serialize: 'true'
      io.rancher.scheduler.affinity:not_host_label: lb=0
`,
		warnings: []string{
			"docker-compose.yml:6: services.gateway.labels.io.rancher.container.pull_image: Rancher label dropped: it changes nothing on Swarm " +
				"(Swarm pulls the image when it creates a task and resolves its digest at each deploy)",
			"docker-compose.yml:7: services.gateway.labels.io.rancher.container.dns: Rancher label dropped: it changes nothing on Swarm " +
				"(every Swarm service uses Docker's DNS, which resolves the stack's services)",
			"docker-compose.yml:8: services.gateway.labels.io.rancher.service.allocate.skip.serialize: Rancher label dropped: it changes nothing on Swarm " +
				"(Swarm allocates tasks itself)",
			"docker-compose.yml:9: services.gateway.labels.io.rancher.scheduler.affinity:not_host_label: Rancher label dropped: it changes nothing on Swarm " +
				"(Rancher has no such rule and ignored it too)",
		},
	}, {
		name: "letsencrypt/0: a Rancher agent is refused",
		compose: `letsencrypt:
  image: janeczku/rancher-letsencrypt:v0.2.5
  labels:
    io.rancher.container.create_agent: 'true'
    io.rancher.container.agent.role: 'environment'
`,
		problems: []string{
			"docker-compose.yml:4: services.letsencrypt.labels.io.rancher.container.create_agent: not supported on Swarm: Rancher agent: " +
				"the container called Rancher's API, which Swarm has not; remove the service, or give it the Docker socket and rewrite it for the Docker API",
			"docker-compose.yml:5: services.letsencrypt.labels.io.rancher.container.agent.role: not supported on Swarm: Rancher agent role: " +
				"the container called Rancher's API, which Swarm has not; remove the service, or give it the Docker socket and rewrite it for the Docker API",
		},
	}, {
		name: "hadoop/0 and scaleio/0: affinities with other services' containers are refused",
		compose: `yarn-nodemanager:
  image: rancher/hadoop-base:v0.3.5
  labels:
    io.rancher.scheduler.affinity:container_label: io.rancher.stack_service.name=$${stack_name}/datanode
mdm:
  image: wlan0/mdm
  labels:
    io.rancher.scheduler.affinity:container_label_ne: io.rancher.stack_service.name=$${stack_name}/primary_mdm
`,
		problems: []string{
			"docker-compose.yml:4: services.yarn-nodemanager.labels.io.rancher.scheduler.affinity:container_label: not supported on Swarm: " +
				"Rancher affinity with other containers (io.rancher.stack_service.name=${stack_name}/datanode): Swarm cannot place a task beside " +
				"another service's tasks; place both services with the same node label (deploy.placement.constraints)",
			"docker-compose.yml:8: services.mdm.labels.io.rancher.scheduler.affinity:container_label_ne: not supported on Swarm: " +
				"Rancher anti-affinity with other containers (io.rancher.stack_service.name=${stack_name}/primary_mdm): Swarm cannot keep a task off " +
				"the nodes that run another service; place the services on different nodes with node labels (deploy.placement.constraints)",
		},
	}})
}
