package composeext

import (
	"fmt"
	"testing"

	"github.com/docker/docker/api/types/swarm"
	"gotest.tools/v3/assert"
)

// portsOf lists the ports a service publishes as "published:target/protocol".
func portsOf(t *testing.T, st *Stack, name string) []string {
	t.Helper()
	out := []string{}
	if ep := service(t, st, name).EndpointSpec; ep != nil {
		for _, p := range ep.Ports {
			out = append(out, formatPort(p))
		}
	}
	return out
}

func formatPort(p swarm.PortConfig) string {
	return fmt.Sprintf("%d:%d/%s", p.PublishedPort, p.TargetPort, p.Protocol)
}

// A Rancher load balancer that only forwards published ports to services of the stack is
// Swarm's routing mesh: the services publish the ports and the balancer goes. Routing by
// host name or path, TLS termination, and a port spread over services are refused.
func TestRancherLoadBalancers(t *testing.T) {
	runRancherCases(t, []rancherCase{{
		name: "wordpress/1: lb-service-haproxy forwarding one published port",
		compose: `version: '2'
services:
  wordpress:
      image: 'bitnami/wordpress:4'
  wordpress-lb:
    image: rancher/lb-service-haproxy:v0.7.5
    ports:
      - ${public_port}:${public_port}
`,
		rancher: `version: '2'
services:
  wordpress-lb:
    scale: 1
    start_on_create: true
    lb_config:
      certs: []
      port_rules:
      - protocol: http
        service: wordpress
        source_port: ${public_port}
        target_port: 80
    health_check:
      healthy_threshold: 2
      response_timeout: 2000
      port: 42
      unhealthy_threshold: 3
      interval: 2000
      strategy: recreate
`,
		vars: map[string]string{"public_port": "8080"},
		warnings: []string{
			"docker-compose.yml:5: services.wordpress-lb: Rancher load balancer translated to Swarm's routing mesh, which publishes on every node: " +
				"wordpress publishes 8080:80/tcp (the balancer service is dropped, with its scale, health check and placement)",
		},
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, serviceNames(st), []string{"wordpress"})
			assert.DeepEqual(t, portsOf(t, st, "wordpress"), []string{"8080:80/tcp"})
			// A later check on the published port points at the balancer's port.
			assert.DeepEqual(t, st.Locate("services.wordpress.ports.0"),
				Problem{File: "docker-compose.yml", Line: 8, Key: "services.wordpress.ports.0"})
		},
	}, {
		name: "gitea/0: two rules to one service; where source and target ports are the same the balancer's name is an alias",
		compose: `version: '2'
services:
  gitea:
    image: gitea/gitea:1.3.0
  lb:
    image: rancher/lb-service-haproxy:v0.7.9
    ports:
    - ${http_port}:${http_port}/tcp
    - ${ssh_port}:${ssh_port}/tcp
`,
		rancher: `version: '2'
services:
  lb:
    lb_config:
      certs: []
      port_rules:
      - priority: 1
        protocol: http
        service: gitea
        source_port: ${http_port}
        target_port: 3000
      - priority: 2
        protocol: tcp
        service: gitea
        source_port: ${ssh_port}
        target_port: 22
`,
		vars: map[string]string{"http_port": "3000", "ssh_port": "22"},
		warnings: []string{
			"docker-compose.yml:5: services.lb: Rancher load balancer translated to Swarm's routing mesh, which publishes on every node: " +
				"gitea publishes 22:22/tcp; gitea publishes 3000:3000/tcp; lb is a network alias of gitea " +
				"(the balancer service is dropped, with its scale, health check and placement)",
		},
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, portsOf(t, st, "gitea"), []string{"22:22/tcp", "3000:3000/tcp"})
			assert.DeepEqual(t, service(t, st, "gitea").TaskTemplate.Networks,
				[]swarm.NetworkAttachmentConfig{{Target: "app_default", Aliases: []string{"lb", "gitea"}}})
		},
	}, {
		name: "minio/4: a rule on the balancer's container port, published on another; an exposed port stays inside",
		compose: `version: '2'
services:
  minio-server:
    image: minio/minio:RELEASE.2018-02-09T22-40-05Z
  lb:
    image: rancher/lb-service-haproxy:v0.7.15
    ports:
      - ${PUBLISH_PORT}:9000/tcp
    expose:
      - 9001:9001/tcp
`,
		rancher: `version: '2'
services:
  lb:
    lb_config:
      certs: []
      port_rules:
      - priority: 1
        protocol: http
        service: minio-server
        source_port: 9000
        target_port: 9000
      - protocol: tcp
        service: minio-server
        source_port: 9001
        target_port: 9001
`,
		vars: map[string]string{"PUBLISH_PORT": "80"},
		warnings: []string{
			"docker-compose.yml:5: services.lb: Rancher load balancer translated to Swarm's routing mesh, which publishes on every node: " +
				"9001 to minio-server:9001 inside the stack only: reach minio-server:9001; minio-server publishes 80:9000/tcp; " +
				"lb is a network alias of minio-server (the balancer service is dropped, with its scale, health check and placement)",
		},
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, portsOf(t, st, "minio-server"), []string{"80:9000/tcp"})
		},
	}, {
		name: "plone/1: the older load-balancer-service forwards its ports to the service it links",
		compose: `plone:
  image: plone:5.0
lb:
  image: rancher/load-balancer-service
  links:
  - plone:plone
  ports:
  - ${http_port}:8080
`,
		rancher: `lb:
  load_balancer_config:
    haproxy_config: {}
`,
		vars: map[string]string{"http_port": "80"},
		warnings: []string{
			"docker-compose.yml:3: services.lb: Rancher load balancer translated to Swarm's routing mesh, which publishes on every node: " +
				"plone publishes 80:8080/tcp (the balancer service is dropped, with its scale, health check and placement)",
		},
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, portsOf(t, st, "plone"), []string{"80:8080/tcp"})
		},
	}, {
		name: "registry/3: target labels of the older balancer send each port to its service",
		compose: `sslproxy:
  image: nginx:1.9.9
registry:
  image: registry:2.3.1
lb:
  image: rancher/load-balancer-service
  ports:
  - ${RPORT}:5000/tcp
  - ${PPORT}:443/tcp
  labels:
    io.rancher.loadbalancer.target.sslproxy: ${PPORT}=443
    io.rancher.loadbalancer.target.registry: ${RPORT}=5000
    io.rancher.scheduler.global: 'true'
  links:
  - registry:registry
  - sslproxy:sslproxy
`,
		vars: map[string]string{"RPORT": "5000", "PPORT": "5443"},
		warnings: []string{
			"docker-compose.yml:5: services.lb: Rancher load balancer translated to Swarm's routing mesh, which publishes on every node: " +
				"registry publishes 5000:5000/tcp; sslproxy publishes 5443:443/tcp (the balancer service is dropped, with its scale, health check and placement)",
		},
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, portsOf(t, st, "registry"), []string{"5000:5000/tcp"})
			assert.DeepEqual(t, portsOf(t, st, "sslproxy"), []string{"5443:443/tcp"})
		},
	}, {
		name: "nuxeo/0: cookie stickiness is dropped",
		compose: `nuxeo:
  image: nuxeo:8.10
lb:
  expose:
  - 80:8080
  image: rancher/load-balancer-service
  links:
  - nuxeo:nuxeo
`,
		rancher: `lb:
  load_balancer_config:
    lb_cookie_stickiness_policy:
      cookie: lbsticky
    haproxy_config: {}
`,
		warnings: []string{
			"docker-compose.yml:3: services.lb: Rancher load balancer translated to Swarm's routing mesh, which publishes on every node: " +
				"80 to nuxeo:8080 inside the stack only: reach nuxeo:8080 (the balancer service is dropped, with its scale, health check and placement)",
			"rancher-compose.yml:3: services.lb.load_balancer_config.lb_cookie_stickiness_policy: Rancher load balancer stickiness dropped: " +
				"Swarm's routing mesh balances each connection",
		},
		check: func(t *testing.T, st *Stack) {
			assert.DeepEqual(t, portsOf(t, st, "nuxeo"), []string{})
		},
	}, {
		name: "artifactory-oss/0: TLS termination with a certificate is refused",
		compose: `version: '2'
services:
  artifactory-rp:
    image: docker.bintray.io/jfrog/nginx-artifactory-pro:5.4.5
  artifactory-lb:
    image: rancher/lb-service-haproxy:v0.6.4
    ports:
      - ${PUBLISH_PORT}:${PUBLISH_PORT}
`,
		rancher: `version: '2'
services:
  artifactory-lb:
    scale: 1
    lb_config:
      certs: []
      default_cert: ${SSL_CERT}
      port_rules:
      - protocol: ${PUBLISH_SCHEMA}
        service: artifactory-rp
        source_port: ${PUBLISH_PORT}
        target_port: ${PUBLISH_PORT}
`,
		vars: map[string]string{"PUBLISH_PORT": "443", "PUBLISH_SCHEMA": "https", "SSL_CERT": "artifactory"},
		problems: []string{
			"rancher-compose.yml:7: services.artifactory-lb.lb_config.default_cert: not supported on Swarm: Rancher load balancer certificates " +
				"(TLS termination): terminate TLS in the service or in a reverse proxy (Traefik, nginx) run as a service",
			"rancher-compose.yml:9: services.artifactory-lb.lb_config.port_rules.0.protocol: not supported on Swarm: Rancher load balancer protocol https " +
				"(TLS termination): Swarm forwards TCP and UDP as they come; terminate TLS in the service or in a reverse proxy",
		},
	}, {
		// No template of the snapshot routes by host name: this is wordpress/1's rule with one.
		name: "wordpress/1 with a hostname rule: routing by host name is refused",
		compose: `version: '2'
services:
  wordpress:
      image: 'bitnami/wordpress:4'
  wordpress-lb:
    image: rancher/lb-service-haproxy:v0.7.5
    ports:
      - 80:80
`,
		rancher: `version: '2'
services:
  wordpress-lb:
    lb_config:
      port_rules:
      - protocol: http
        hostname: blog.example.com
        service: wordpress
        source_port: 80
        target_port: 80
`,
		problems: []string{
			"rancher-compose.yml:7: services.wordpress-lb.lb_config.port_rules.0.hostname: not supported on Swarm: Rancher load balancer rule by hostname: " +
				"Swarm's routing mesh forwards ports only; run a reverse proxy (Traefik, nginx) as a service",
		},
	}})
}
