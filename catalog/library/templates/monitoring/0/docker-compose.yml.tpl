# Prometheus + Alertmanager (+ cAdvisor and node-exporter on every node, each optional).
# Prometheus scrapes cAdvisor, node-exporter and the EXOS manager's /metrics, and evaluates
# example scaling rules whose alerts carry the labels `service` (the Swarm service name)
# and `scale` (up or down). Alertmanager sends those alerts to an EXOS receiver hook; the
# hook's token is a Swarm secret that Alertmanager reads with credentials_file.
# Both configurations are Swarm configs with inline content, built from the answers.
services:
  prometheus:
    image: prom/prometheus:v3.1.0
    command:
      - --config.file=/etc/prometheus/prometheus.yml
      - --storage.tsdb.path=/prometheus
      - --storage.tsdb.retention.time={{ .Values.retention }}
    configs:
      - source: prometheus_config
        target: /etc/prometheus/prometheus.yml
      - source: prometheus_rules
        target: /etc/prometheus/exos-rules.yml
    ports:
      - target: 9090
        published: {{ .Values.prometheus_port }}
        protocol: tcp
    networks: [monitoring]
    volumes:
      - prometheus_data:/prometheus
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:9090/-/healthy"]
      interval: 15s
      timeout: 5s
      retries: 3
      start_period: 30s
    stop_grace_period: 60s
    deploy:
      replicas: 1
      resources:
        limits: {cpus: "1", memory: 2G}
        reservations: {cpus: "0.2", memory: 512M}
      restart_policy: {condition: any, delay: 5s}

  alertmanager:
    image: prom/alertmanager:v0.28.1
    command:
      - --config.file=/etc/alertmanager/alertmanager.yml
      - --storage.path=/alertmanager
    configs:
      - source: alertmanager_config
        target: /etc/alertmanager/alertmanager.yml
    secrets:
      - source: exos_hook_token
        target: exos_hook_token
    ports:
      - target: 9093
        published: {{ .Values.alertmanager_port }}
        protocol: tcp
    networks: [monitoring]
    volumes:
      - alertmanager_data:/alertmanager
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:9093/-/healthy"]
      interval: 15s
      timeout: 5s
      retries: 3
      start_period: 15s
    deploy:
      replicas: 1
      resources:
        limits: {cpus: "0.5", memory: 256M}
        reservations: {cpus: "0.05", memory: 64M}
      restart_policy: {condition: any, delay: 5s}
{{- if eq (print .Values.cadvisor) "true" }}

  cadvisor:
    image: gcr.io/cadvisor/cadvisor:v0.49.1
    command: ["-docker_only=true", "-housekeeping_interval=10s"]
    networks: [monitoring]
    volumes:
      - {type: bind, source: /, target: /rootfs, read_only: true}
      - {type: bind, source: /var/run, target: /var/run, read_only: true}
      - {type: bind, source: /sys, target: /sys, read_only: true}
      - {type: bind, source: /var/lib/docker, target: /var/lib/docker, read_only: true}
      - {type: bind, source: /dev/disk, target: /dev/disk, read_only: true}
    healthcheck:
      test: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:8080/healthz"]
      interval: 30s
      timeout: 5s
      retries: 3
    deploy:
      mode: global
      resources:
        limits: {cpus: "0.5", memory: 512M}
        reservations: {cpus: "0.05", memory: 64M}
      restart_policy: {condition: any, delay: 5s}
{{- end }}
{{- if eq (print .Values.node_exporter) "true" }}

  node-exporter:
    image: prom/node-exporter:v1.8.2
    command:
      - --path.procfs=/host/proc
      - --path.sysfs=/host/sys
      - --path.rootfs=/rootfs
      - --collector.filesystem.mount-points-exclude=^/(dev|proc|sys|var/lib/docker/.+)($$|/)
    networks: [monitoring]
    volumes:
      - {type: bind, source: /proc, target: /host/proc, read_only: true}
      - {type: bind, source: /sys, target: /host/sys, read_only: true}
      - {type: bind, source: /, target: /rootfs, read_only: true}
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:9100/"]
      interval: 30s
      timeout: 5s
      retries: 3
    deploy:
      mode: global
      resources:
        limits: {cpus: "0.25", memory: 128M}
        reservations: {cpus: "0.02", memory: 32M}
      restart_policy: {condition: any, delay: 5s}
{{- end }}

configs:
  prometheus_config:
    content: |
      global:
        scrape_interval: 15s
        evaluation_interval: 15s
      rule_files:
        - /etc/prometheus/exos-rules.yml
      alerting:
        alertmanagers:
          - static_configs:
              - targets: ["alertmanager:9093"]
      scrape_configs:
        - job_name: prometheus
          static_configs:
            - targets: ["127.0.0.1:9090"]
        - job_name: alertmanager
          static_configs:
            - targets: ["alertmanager:9093"]
{{- if eq (print .Values.cadvisor) "true" }}
        # tasks.<service> resolves to every task of a service on the stack's network.
        - job_name: cadvisor
          dns_sd_configs:
            - names: ["tasks.cadvisor"]
              type: A
              port: 8080
          metric_relabel_configs:
            # The Swarm service name becomes the `service` label the EXOS hook expects.
            - source_labels: [container_label_com_docker_swarm_service_name]
              target_label: service
{{- end }}
{{- if eq (print .Values.node_exporter) "true" }}
        - job_name: node-exporter
          dns_sd_configs:
            - names: ["tasks.node-exporter"]
              type: A
              port: 9100
{{- end }}
{{- if .Values.exos_manager_address }}
        - job_name: exos-manager
          static_configs:
            - targets: [{{ printf "%q" (print .Values.exos_manager_address) }}]
{{- end }}
  prometheus_rules:
    content: |
      groups:
{{- if eq (print .Values.cadvisor) "true" }}
        - name: exos-autoscale
          rules:
            # Average CPU (percent of one core) and memory (percent of the limit) per task.
            - record: exos:service_cpu_percent:avg
              expr: 100 * avg by (service) (rate(container_cpu_usage_seconds_total{service=~"{{ .Values.scale_services }}"}[1m]))
            - record: exos:service_memory_percent:avg
              expr: 100 * avg by (service) (container_memory_working_set_bytes{service=~"{{ .Values.scale_services }}"} / (container_spec_memory_limit_bytes{service=~"{{ .Values.scale_services }}"} > 0))
            - alert: ExosServiceCPUHigh
              expr: exos:service_cpu_percent:avg > {{ .Values.scale_up_cpu_percent }}
              for: 1m
              labels:
                scale: up
              annotations:
                summary: Average CPU per task is above {{ .Values.scale_up_cpu_percent }}% of a core.
            - alert: ExosServiceMemoryHigh
              expr: exos:service_memory_percent:avg > {{ .Values.scale_up_memory_percent }}
              for: 1m
              labels:
                scale: up
              annotations:
                summary: Average memory per task is above {{ .Values.scale_up_memory_percent }}% of its limit.
            - alert: ExosServiceCPULow
              expr: exos:service_cpu_percent:avg < {{ .Values.scale_down_cpu_percent }}
              for: 5m
              labels:
                scale: down
              annotations:
                summary: Average CPU per task is below {{ .Values.scale_down_cpu_percent }}% of a core.
{{- end }}
        - name: exos-monitoring
          rules:
            - alert: ExosScrapeTargetDown
              expr: up == 0
              for: 5m
              labels:
                severity: warning
              annotations:
                summary: A Prometheus target of the monitoring stack is down.
  alertmanager_config:
    content: |
      route:
        receiver: "null"
        group_by: [alertname, service]
        group_wait: 10s
        group_interval: 1m
        repeat_interval: 2m
        routes:
          # Only scaling alerts go to EXOS; the others stay visible in Alertmanager.
          - receiver: exos-scale
            matchers: ['scale=~"up|down"']
      receivers:
        - name: "null"
        - name: exos-scale
          webhook_configs:
            - url: {{ printf "%q" (print .Values.exos_hook_url) }}
              send_resolved: true
              http_config:
                authorization:
                  type: Bearer
                  credentials_file: /run/secrets/exos_hook_token

secrets:
  exos_hook_token:
    environment: exos_hook_token

networks:
  monitoring:
    driver: overlay

volumes:
  prometheus_data: {}
  alertmanager_data: {}
