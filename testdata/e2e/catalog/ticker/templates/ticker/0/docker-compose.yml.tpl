# The task starts only if the secret word is mounted.
services:
  ticker:
    image: exos/busybox:1
    command: ["sh", "-c", "test -s /run/secrets/word && while true; do sleep 1; done"]
    init: true
    stop_grace_period: 1s
    environment:
      MESSAGE: ${message}
      MESSAGE_VERSION: "1"
    secrets: [word]
    deploy:
      replicas: {{ .Values.replicas }}
      endpoint_mode: dnsrr
      # Fast updates: the new task starts before the old one stops, and Swarm watches it
      # for 1 s (not 5) before it calls the update done.
      update_config: {order: start-first, monitor: 1s}
      rollback_config: {order: start-first, monitor: 1s}
secrets:
  word:
    environment: secret_word
