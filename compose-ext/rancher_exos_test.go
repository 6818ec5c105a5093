package composeext

import (
	"strings"
	"testing"

	"gotest.tools/v3/assert"
)

// rancher-compose.yml service keys: Rancher's that change nothing on Swarm are dropped,
// the request line forms Rancher's health checks took are read, metadata is refused.
func TestRancherComposeKeys(t *testing.T) {
	runRancherCases(t, []rancherCase{{
		name: "wordpress/1: start_on_create and retain_ip are dropped",
		compose: `version: '2'
services:
  wordpress:
      image: 'bitnami/wordpress:4'
`,
		rancher: `version: '2'
services:
  wordpress:
    scale: 1
    start_on_create: true
    retain_ip: true
`,
		warnings: []string{
			"rancher-compose.yml:5: services.wordpress.start_on_create: start_on_create dropped: Swarm starts every service it creates",
			"rancher-compose.yml:6: services.wordpress.retain_ip: retain_ip dropped: Swarm gives a replaced task a new address; " +
				"the service's name and virtual IP stay, reach it by them",
		},
	}, {
		name: "meanshop/0: Rancher metadata is refused",
		compose: `meango:
  image: mongo:3.2
`,
		rancher: `meango:
  scale: 1
  retain_ip: true
  metadata:
    mongo:
      yml:
        replset.name: "${replset_name}"
`,
		vars: map[string]string{"replset_name": "rs0"},
		problems: []string{
			"rancher-compose.yml:4: services.meango.metadata: not supported on Swarm: Rancher metadata: there is no metadata service on Swarm; " +
				"give the values as environment variables or configs",
		},
	}})
}

// Rancher's health checks took request lines in HAProxy's forms; each becomes the
// container healthcheck EXOS makes of a health_check.
func TestRancherRequestLines(t *testing.T) {
	wget := func(path string) []string { return []string{"CMD", "wget", "-q", "-O-", "http://127.0.0.1:80" + path} }
	for _, c := range []struct {
		template, line string
		test           []string
		warning        string
	}{
		{"gogs/0", `GET "/" "HTTP/1.0"`, wget("/"), ""},
		{"adminer/0", `'GET "/" "HTTP/1.0"'`, wget("/"), ""},
		{"etcd-ha/7", `/health`, wget("/health"), ""},
		{"wekan/1", `GET / # HTTP/1.0`, wget("/"), ""},
		{"traefik/10", `'GET /dashboard/# HTTP/1.0'`, wget("/dashboard/"), ""},
		{"gitea/0", `GET / HTTP/1.1`, wget("/"), ""},
		{"mysql/0", `''`, []string{"CMD", "nc", "-z", "127.0.0.1", "80"}, ""},
		{"eventstore/0", `OPTIONS /gossip HTTP/1.0`, wget("/gossip"),
			"rancher-compose.yml:4: services.web.health_check.request_line: health check request OPTIONS /gossip is made as GET /gossip"},
	} {
		t.Run(c.template, func(t *testing.T) {
			what := strings.Join(c.test[1:], " ")
			warnings := []string{"rancher-compose.yml:2: services.web.health_check: Rancher health check: a container healthcheck running " +
				what + " inside the container (Rancher checked from outside): the image must have it"}
			if c.warning != "" {
				warnings = append(warnings, c.warning)
			}
			rancherCase{
				compose:  "web:\n  image: nginx\n",
				rancher:  "web:\n  health_check:\n    port: \"80\"\n    request_line: " + c.line + "\n    interval: 2000\n",
				warnings: warnings,
				check: func(t *testing.T, st *Stack) {
					assert.DeepEqual(t, service(t, st, "web").TaskTemplate.ContainerSpec.Healthcheck.Test, c.test)
				},
			}.run(t)
		})
	}
}
