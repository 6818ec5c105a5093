# Jenkins LTS controller plus inbound agents. The controller's init script (a Swarm config)
# creates the admin account from a Swarm secret, skips the setup wizard and declares the
# permanent nodes agent-1..agent-N; each agent replica takes the node named after its task
# slot, asks the controller for that node's connection secret with the admin credentials
# (read from the same Swarm secret, never from an environment variable) and connects over
# WebSocket on the HTTP port, so no agent port needs to be reachable. Builds on the agents
# reach the swarm's registry: REGISTRY names it, the agents can join its overlay network,
# and the node's Docker socket is theirs when the answers ask for it.
services:
  jenkins:
    image: jenkins/jenkins:2.479.3-lts-jdk17
    environment:
      JAVA_OPTS: -Djenkins.install.runSetupWizard=false -XX:MaxRAMPercentage=75
      EXOS_JENKINS_ADMIN: ${admin_user}
      EXOS_JENKINS_AGENTS: ${agents}
      EXOS_JENKINS_EXECUTORS: ${agent_executors}
    ports:
      - target: 8080
        published: ${http_port}
        protocol: tcp
    volumes:
      - jenkins_home:/var/jenkins_home
    configs:
      - source: init_script
        target: /var/jenkins_home/init.groovy.d/exos-setup.groovy
        mode: 0444
    secrets:
      - source: admin_password
        target: jenkins_admin_password
        mode: 0400
        uid: "1000"
    healthcheck:
      test: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/login"]
      interval: 30s
      timeout: 10s
      retries: 5
      start_period: 180s
    stop_grace_period: 30s
    deploy:
      replicas: 1
      resources:
        limits: {cpus: "2", memory: 2G}
        reservations: {cpus: "0.5", memory: 1G}
      restart_policy: {condition: any, delay: 10s}
      update_config: {order: stop-first}

  agent:
    image: jenkins/inbound-agent:3345.v03dee9b_f88fc-1
    entrypoint: ["/bin/sh", "-c"]
    command:
      - |
        set -eu
        name="agent-$${EXOS_AGENT_SLOT}"
        pw="$$(sed 's/[\\"]/\\&/g' /run/secrets/jenkins_admin_password)"
        url="http://jenkins:8080/computer/$${name}/jenkins-agent.jnlp"
        until secret="$$(printf 'user = "%s:%s"\n' "$${EXOS_JENKINS_ADMIN}" "$$pw" | curl -fsS -K - "$$url" | grep -o '<argument>[0-9a-f]\{64\}</argument>' | head -n 1 | sed 's/<[^>]*>//g')" && [ -n "$$secret" ]; do
          echo "waiting for the controller to declare $$name"
          sleep 10
        done
        unset pw
        exec /usr/local/bin/jenkins-agent -url http://jenkins:8080/ -webSocket -name "$$name" -secret "$$secret" -workDir /home/jenkins/agent
    environment:
      EXOS_AGENT_SLOT: {{ `"{{.Task.Slot}}"` }}
      EXOS_JENKINS_ADMIN: ${admin_user}
{{- if .Values.registry }}
      REGISTRY: {{ printf "%q" (print .Values.registry) }}
{{- end }}
    secrets:
      - source: admin_password
        target: jenkins_admin_password
        mode: 0400
        uid: "1000"
    volumes:
      - agent_work:/home/jenkins/agent
{{- if .Values.docker_socket }}
      - type: bind
        source: /var/run/docker.sock
        target: /var/run/docker.sock
{{- end }}
{{- if .Values.registry_network }}
    networks:
      - default
      - registry
{{- end }}
    stop_grace_period: 30s
    deploy:
      replicas: ${agents}
      resources:
        limits: {cpus: "2", memory: 2G}
        reservations: {cpus: "0.25", memory: 512M}
      restart_policy: {condition: any, delay: 10s}

configs:
  init_script:
    content: |
      // Written by the EXOS Library jenkins template; runs at every controller start.
      import hudson.model.Node
      import hudson.security.FullControlOnceLoggedInAuthorizationStrategy
      import hudson.security.HudsonPrivateSecurityRealm
      import hudson.slaves.DumbSlave
      import hudson.slaves.JNLPLauncher
      import hudson.slaves.RetentionStrategy
      import jenkins.model.Jenkins

      def jenkins = Jenkins.get()
      def admin = System.getenv('EXOS_JENKINS_ADMIN')
      def password = new File('/run/secrets/jenkins_admin_password').text.trim()

      def realm = jenkins.securityRealm
      if (!(realm instanceof HudsonPrivateSecurityRealm)) {
        realm = new HudsonPrivateSecurityRealm(false)
        jenkins.securityRealm = realm
      }
      def user = realm.getUser(admin)
      if (user == null) {
        realm.createAccount(admin, password)
      } else {
        user.addProperty(HudsonPrivateSecurityRealm.Details.fromPlainPassword(password))
      }
      def strategy = new FullControlOnceLoggedInAuthorizationStrategy()
      strategy.allowAnonymousRead = false
      jenkins.authorizationStrategy = strategy
      // Builds run on the agents, not on the controller.
      jenkins.numExecutors = 0

      int count = System.getenv('EXOS_JENKINS_AGENTS') as int
      int executors = System.getenv('EXOS_JENKINS_EXECUTORS') as int
      // A plain loop: the Groovy range 1..0 would count down and declare agent-1 and agent-0.
      for (int i = 1; i <= count; i++) {
        def name = "agent-" + i
        if (jenkins.getNode(name) == null) {
          def node = new DumbSlave(name, '/home/jenkins/agent', new JNLPLauncher(true))
          node.numExecutors = executors
          node.labelString = 'exos swarm'
          node.mode = Node.Mode.NORMAL
          node.retentionStrategy = RetentionStrategy.INSTANCE
          jenkins.addNode(node)
        }
      }
      // Nodes above the agent count were left by a smaller deploy: drop them.
      jenkins.nodes.findAll { it.nodeName ==~ /agent-\d+/ && (it.nodeName - 'agent-') as int > count }
        .each { jenkins.removeNode(it) }
      jenkins.save()

secrets:
  admin_password:
    environment: admin_password

volumes:
  jenkins_home: {}
  agent_work: {}
{{- if .Values.registry_network }}

networks:
  registry:
    external: true
    name: {{ .Values.registry_network }}
{{- end }}
