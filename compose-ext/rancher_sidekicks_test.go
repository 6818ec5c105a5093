package composeext

import (
	"testing"

	"github.com/docker/docker/api/types/mount"
	"gotest.tools/v3/assert"
)

// mountsOf lists a service's mounts as "type source:target[:ro]".
func mountsOf(t *testing.T, st *Stack, name string) []string {
	t.Helper()
	out := []string{}
	for _, m := range service(t, st, name).TaskTemplate.ContainerSpec.Mounts {
		s := string(m.Type) + " " + m.Source + ":" + m.Target
		if m.ReadOnly {
			s += ":ro"
		}
		out = append(out, s)
	}
	return out
}

// Data-volume sidekicks become named volumes of the services that mount them; every
// other sidekick, and volumes_from anything else, is refused.
func TestRancherSidekicks(t *testing.T) {
	runRancherCases(t, []rancherCase{{
		name: "mysql/0: a busybox data container's anonymous volume is a named volume of its primary",
		compose: `version: '2'
services:
  mysql-data:
    image: busybox
    labels:
      io.rancher.container.start_once: true
    volumes:
      - /var/lib/mysql
  mysql:
    image: ${mysql_image}
    labels:
      io.rancher.sidekicks: mysql-data
    volumes_from:
      - mysql-data
`,
		rancher: `version: '2'
services:
  mysql:
    scale: 1
  mysql-data:
    scale: 1
    start_on_create: true
`,
		vars: map[string]string{"mysql_image": "mysql:latest"},
		warnings: []string{
			"docker-compose.yml:3: services.mysql-data: Rancher data-volume container dropped: its volumes are named volumes of mysql",
			"docker-compose.yml:12: services.mysql.labels.io.rancher.sidekicks: Rancher sidekicks dropped: mysql-data only held volumes, which mysql mounts as named volumes",
			"docker-compose.yml:13: services.mysql.volumes_from: Rancher volumes_from a data-volume container: the service mounts its volumes: " +
				"mysql-data:/var/lib/mysql (each node keeps its own named volume, as each Rancher host kept its container's)",
		},
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, serviceNames(st), []string{"mysql"})
			assert.DeepEqual(t, mountsOf(t, st, "mysql"), []string{"volume app_mysql-data:/var/lib/mysql"})
		},
	}, {
		name: "nextcloud/0: a data container of its primary's image (/bin/true), and one no service mounts",
		compose: `version: '2'

services:

  nextcloud:
    image: nextcloud:12-apache
    volumes_from:
      - nextcloud-data
    labels:
      io.rancher.sidekicks: nextcloud-data

  nextcloud-data:
    image: nextcloud:12-apache
    entrypoint:
      - /bin/true
    volumes:
      - /var/www/html

  mariadb:
    image: mariadb:10
    labels:
      io.rancher.sidekicks: mariadb-data

  mariadb-data:
    image: mariadb:10
    command:
      - /bin/true
    volumes:
      - /var/lib/mysql
`,
		warnings: []string{
			"docker-compose.yml:7: services.nextcloud.volumes_from: Rancher volumes_from a data-volume container: the service mounts its volumes: " +
				"nextcloud-data:/var/www/html (each node keeps its own named volume, as each Rancher host kept its container's)",
			"docker-compose.yml:10: services.nextcloud.labels.io.rancher.sidekicks: Rancher sidekicks dropped: nextcloud-data only held volumes, " +
				"which nextcloud mounts as named volumes",
			"docker-compose.yml:12: services.nextcloud-data: Rancher data-volume container dropped: its volumes are named volumes of nextcloud",
			"docker-compose.yml:22: services.mariadb.labels.io.rancher.sidekicks: Rancher sidekicks dropped: mariadb-data only held volumes, " +
				"which mariadb mounts as named volumes",
			"docker-compose.yml:24: services.mariadb-data: Rancher data-volume container dropped: no service mounts its volumes (volumes_from)",
		},
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, serviceNames(st), []string{"mariadb", "nextcloud"})
			assert.DeepEqual(t, mountsOf(t, st, "nextcloud"), []string{"volume app_nextcloud-data:/var/www/html"})
		},
	}, {
		name: "puppet-standalone/0: several anonymous volumes are named for the data container and their path",
		compose: `puppet:
  image: puppet/puppetserver-standalone:2.7.2
  labels:
    io.rancher.sidekicks: puppet-config-volumes
  volumes_from:
  - puppet-config-volumes
puppet-config-volumes:
  image: alpine
  command: /bin/true
  volumes:
  - /etc/puppetlabs/ssl
  - /etc/puppetlabs/code
`,
		warnings: []string{
			"docker-compose.yml:4: services.puppet.labels.io.rancher.sidekicks: Rancher sidekicks dropped: puppet-config-volumes only held volumes, " +
				"which puppet mounts as named volumes",
			"docker-compose.yml:5: services.puppet.volumes_from: Rancher volumes_from a data-volume container: the service mounts its volumes: " +
				"puppet-config-volumes-etc-puppetlabs-ssl:/etc/puppetlabs/ssl, puppet-config-volumes-etc-puppetlabs-code:/etc/puppetlabs/code " +
				"(each node keeps its own named volume, as each Rancher host kept its container's)",
			"docker-compose.yml:7: services.puppet-config-volumes: Rancher data-volume container dropped: its volumes are named volumes of puppet",
		},
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, mountsOf(t, st, "puppet"), []string{
				"volume app_puppet-config-volumes-etc-puppetlabs-ssl:/etc/puppetlabs/ssl",
				"volume app_puppet-config-volumes-etc-puppetlabs-code:/etc/puppetlabs/code",
			})
		},
	}, {
		name: "gocd-server/0: a data container's named volume keeps its volume_driver",
		compose: `gocd-server:
  image: rawmind/rancher-goserver:16.2.1-3
  volumes_from:
  - gocd-volume
  labels:
    io.rancher.sidekicks: gocd-volume
gocd-volume:
  net: none
  labels:
    io.rancher.container.hostname_override: container_name
    io.rancher.container.start_once: true
  volumes:
  - ${volume_work}:/opt/go-server/work
  volume_driver: ${volume_driver}
  entrypoint: /bin/true
  image: busybox
`,
		vars: map[string]string{"volume_work": "gocd-work", "volume_driver": "local"},
		warnings: []string{
			"docker-compose.yml:3: services.gocd-server.volumes_from: Rancher volumes_from a data-volume container: the service mounts its volumes: " +
				"gocd-work:/opt/go-server/work (each node keeps its own named volume, as each Rancher host kept its container's)",
			"docker-compose.yml:6: services.gocd-server.labels.io.rancher.sidekicks: Rancher sidekicks dropped: gocd-volume only held volumes, " +
				"which gocd-server mounts as named volumes",
			"docker-compose.yml:7: services.gocd-volume: Rancher data-volume container dropped: its volumes are named volumes of gocd-server",
			`docker-compose.yml:13: services.gocd-server.volumes.0: named volume "gocd-work" is not declared (compose v1 has no top-level volumes): ` +
				"declared with driver local (volume_driver)",
		},
		check: func(t *testing.T, st *Stack) {
			m := service(t, st, "gocd-server").TaskTemplate.ContainerSpec.Mounts[0]
			assert.Equal(t, m.Type, mount.TypeVolume)
			assert.Equal(t, m.Source, "app_gocd-work")
			assert.Equal(t, m.VolumeOptions.DriverConfig.Name, "local")
		},
	}, {
		name: "Prometheus/6 and es-cluster/7: a sidekick that runs something is refused, and volumes_from it",
		compose: `prom-conf:
    tty: true
    image: infinityworks/prom-conf:20
    volumes:
      - /etc/prom-conf/
    net: none
prometheus:
    image: prom/prometheus:v2.1.0
    labels:
      io.rancher.sidekicks: prom-conf
    volumes_from:
      - prom-conf
es-master-storage:
    labels:
        io.rancher.container.start_once: true
    image: rawmind/alpine-volume:0.0.2-1
    environment:
        - SERVICE_UID=1000
    volumes:
        - es-master-volume:/usr/share/elasticsearch/data
es-master:
    image: docker.elastic.co/elasticsearch/elasticsearch:6.2.4
    labels:
        io.rancher.sidekicks: es-master-storage
    volumes_from:
        - es-master-storage
`,
		problems: []string{
			"docker-compose.yml:6: services.prom-conf.net: not supported on Swarm: net: none: a Swarm service cannot run without a network " +
				"(the engine refuses the none network for services); remove it, and the service joins the stack's network",
			`docker-compose.yml:10: services.prometheus.labels.io.rancher.sidekicks: not supported on Swarm: Rancher sidekick "prom-conf" runs beside prometheus ` +
				"(image infinityworks/prom-conf): Swarm cannot schedule two containers as one unit; make it a service of its own, sharing data through " +
				"a named volume (only a sidekick that holds volumes and runs nothing, like busybox /bin/true, translates)",
			"docker-compose.yml:12: services.prometheus.volumes_from: not supported on Swarm: volumes_from prom-conf: a Swarm service cannot mount " +
				"another service's volumes, and prom-conf is more than a data-volume container (it runs infinityworks/prom-conf); share a named volume instead",
			`docker-compose.yml:24: services.es-master.labels.io.rancher.sidekicks: not supported on Swarm: Rancher sidekick "es-master-storage" runs beside es-master ` +
				"(image rawmind/alpine-volume): Swarm cannot schedule two containers as one unit; make it a service of its own, sharing data through " +
				"a named volume (only a sidekick that holds volumes and runs nothing, like busybox /bin/true, translates)",
			"docker-compose.yml:26: services.es-master.volumes_from: not supported on Swarm: volumes_from es-master-storage: a Swarm service cannot mount " +
				"another service's volumes, and es-master-storage is more than a data-volume container (it runs rawmind/alpine-volume); share a named volume instead",
		},
	}})
}
