package composeext

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

// The Rancher reading takes every file docker takes as docker takes it: a file with no
// Rancher layout, key or label loads to the same stack with Rancher on. The exceptions
// use what Rancher ran and a Swarm service cannot, which docker drops with a warning
// (rancherRefusedKeys), or links, which the Rancher reading translates.
func TestRancherReadingKeepsPlainFiles(t *testing.T) {
	differ := map[string]string{
		"dockprom-exporters": "privileged and devices are refused",
		"openvpn-client":     "network_mode: service:vpn is refused",
		"mediawiki-mariadb":  "links are translated",
	}
	paths := append(corpusFiles(t), realworldFiles(t)...)
	for _, path := range paths {
		t.Run(stackName(path), func(t *testing.T) {
			if why := differ[stackName(path)]; why != "" {
				t.Skip(why)
			}
			in := corpusInput(t, path)
			if isRealworld(path) {
				in = realworldInput(t, path)
			}
			plain, err := Load(context.Background(), in)
			assert.NilError(t, err)
			in.Rancher = true
			rancher, err := Load(context.Background(), in)
			assert.NilError(t, err)
			assert.DeepEqual(t, rancher.Services, plain.Services)
			assert.DeepEqual(t, rancher.Networks, plain.Networks)
			assert.DeepEqual(t, rancher.Configs, plain.Configs)
			assert.DeepEqual(t, rancher.Secrets, plain.Secrets)
			assert.DeepEqual(t, rancher.Warnings, plain.Warnings)
		})
	}
}

func isRealworld(path string) bool {
	rel, err := filepath.Rel(realworldDir, path)
	return err == nil && !strings.HasPrefix(rel, "..")
}

// Rancher's layouts: compose v1 (services at the top level) and v2, rancher-compose.yml
// in v1 layout or under services:, its catalog block named .catalog or catalog, and what
// yaml.v2 read (keys given twice, strings for numbers, nulls).
func TestRancherLayouts(t *testing.T) {
	runRancherCases(t, []rancherCase{{
		name: "odoo/0: compose v1, rancher-compose v1 with an empty questions: and an empty entry",
		compose: `odoo:
  image: odoo
  ports:
    - "8069:8069"
  links:
    - db
db:
  image: postgres
  environment:
    - POSTGRES_USER=odoo
    - POSTGRES_PASSWORD=odoo
`,
		rancher: `.catalog:
  name: "Odoo"
  version: v0.1-educaas
  description: "ERP management powered by Odoo"
  uuid: odoo-0
  questions:

odoo:
`,
		warnings: []string{
			"docker-compose.yml:5: services.odoo.links: Rancher links dropped: Swarm resolves service names on the stack's network",
		},
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, serviceNames(st), []string{"db", "odoo"})
			assert.DeepEqual(t, st.Catalog, map[string]any{"name": "Odoo", "version": "v0.1-educaas",
				"description": "ERP management powered by Odoo", "uuid": "odoo-0", "questions": nil})
		},
	}, {
		name: "artifactory-oss/0: rancher-compose v2 with a catalog: block",
		compose: `version: '2'
services:
  postgresql:
    image: docker.bintray.io/postgres:9.5.2
    environment:
      - POSTGRES_DB=artifactory
`,
		rancher: `version: '2'
catalog:
  name: "Artifactory"
  version: "5.4.5"
services:
  postgresql:
    scale: 1
`,
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, st.Catalog, map[string]any{"name": "Artifactory", "version": "5.4.5"})
			assert.Equal(t, *service(t, st, "postgresql").Mode.Replicated.Replicas, uint64(1))
		},
	}, {
		name: "gocd-server/0: labels given twice, the last one wins",
		compose: `gocd-server:
  labels:
    gocd.role: server
  tty: true
  image: rawmind/rancher-goserver:16.2.1-3
  labels:
    io.rancher.container.pull_image: always
`,
		warnings: []string{
			"docker-compose.yml:2: services.gocd-server.labels: key given twice (lines 2 and 6): the last one is used, as Rancher read the file",
			"docker-compose.yml:7: services.gocd-server.labels.io.rancher.container.pull_image: Rancher label dropped: it changes nothing on Swarm " +
				"(Swarm pulls the image when it creates a task and resolves its digest at each deploy)",
		},
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, service(t, st, "gocd-server").TaskTemplate.ContainerSpec.Labels,
				map[string]string{labelNamespace: "app"})
		},
	}, {
		name: `MongoDB/3: scale: ${mongo_scale} is the string "3"; tty: "true" as a .tpl quoting it renders`,
		compose: `version: '2'
services:
  mongo-cluster:
    image: mongo:3.4
    tty: "true"
`,
		rancher: `version: '2'
services:
  mongo-cluster:
    scale: ${mongo_scale}
`,
		vars: map[string]string{"mongo_scale": "3"},
		check: func(t *testing.T, st *Stack) {
			spec := service(t, st, "mongo-cluster")
			assert.Equal(t, *spec.Mode.Replicated.Replicas, uint64(3))
			assert.Equal(t, spec.TaskTemplate.ContainerSpec.TTY, true)
		},
	}, {
		name: "sentry/5: driver_opts that the template rendered empty, as yaml.v2 read it",
		compose: `version: '2'
services:
  sentry-postgres:
    image: postgres:9.5.3
    volumes:
    - sentry-postgres:/var/lib/postgresql/data
volumes:
  sentry-postgres:
    driver: ${sentry_storage_driver}
    driver_opts:
      
`,
		vars: map[string]string{"sentry_storage_driver": "local"},
		check: func(t *testing.T, st *Stack) {
			m := service(t, st, "sentry-postgres").TaskTemplate.ContainerSpec.Mounts[0]
			assert.Equal(t, m.Source, "app_sentry-postgres")
			assert.Equal(t, m.VolumeOptions.DriverConfig.Name, "local")
		},
	}, {
		name: "plone/1: a named volume compose v1 could not declare, with the service's volume_driver",
		compose: `zeoserver:
  image: plone:5.0
  volumes:
  - ${volume_name}:/data
  volume_driver: ${volume_driver}
  command: ["zeoserver"]
`,
		vars: map[string]string{"volume_name": "plone-data", "volume_driver": "local"},
		warnings: []string{
			`docker-compose.yml:4: services.zeoserver.volumes.0: named volume "plone-data" is not declared (compose v1 has no top-level volumes): declared with driver local (volume_driver)`,
		},
		check: func(t *testing.T, st *Stack) {
			m := service(t, st, "zeoserver").TaskTemplate.ContainerSpec.Mounts[0]
			assert.Equal(t, m.Source, "app_plone-data")
			assert.Equal(t, m.VolumeOptions.DriverConfig.Name, "local")
		},
	}})
}
