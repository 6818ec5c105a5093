# A private registry. Authentication (htpasswd) and TLS are optional: each is switched on by
# answering its question, and its file is then a Swarm secret that the registry reads
# through its REGISTRY_* settings. Secrets are filled from the answers (environment:), so
# no credential is written into this file.
services:
  registry:
    image: registry:2.8.3
    environment:
      REGISTRY_HTTP_ADDR: 0.0.0.0:5000
      REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: /var/lib/registry
      REGISTRY_STORAGE_DELETE_ENABLED: "{{ .Values.delete_enabled }}"
{{- if .Values.htpasswd }}
      REGISTRY_AUTH: htpasswd
      REGISTRY_AUTH_HTPASSWD_REALM: {{ printf "%q" (print .Values.auth_realm) }}
      REGISTRY_AUTH_HTPASSWD_PATH: /run/secrets/registry_htpasswd
{{- end }}
{{- if .Values.tls_certificate }}
      REGISTRY_HTTP_TLS_CERTIFICATE: /run/secrets/registry_tls_certificate
      REGISTRY_HTTP_TLS_KEY: /run/secrets/registry_tls_key
{{- end }}
{{- if or .Values.htpasswd .Values.tls_certificate }}
    secrets:
{{- if .Values.htpasswd }}
      - registry_htpasswd
{{- end }}
{{- if .Values.tls_certificate }}
      - registry_tls_certificate
      - registry_tls_key
{{- end }}
{{- end }}
    ports:
      - target: 5000
        published: {{ .Values.port }}
        protocol: tcp
    volumes:
      - data:/var/lib/registry
    healthcheck:
      # The registry answers 200 on / whatever the auth settings; busybox wget is in the image.
{{- if .Values.tls_certificate }}
      test: ["CMD", "wget", "-q", "--no-check-certificate", "-O", "/dev/null", "https://127.0.0.1:5000/"]
{{- else }}
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:5000/"]
{{- end }}
      interval: 15s
      timeout: 5s
      retries: 3
      start_period: 10s
    deploy:
      replicas: 1
      resources:
        limits: {cpus: "1", memory: 512M}
        reservations: {cpus: "0.1", memory: 64M}
      restart_policy: {condition: any, delay: 5s}
      update_config: {order: stop-first, failure_action: rollback}
{{- if or .Values.htpasswd .Values.tls_certificate }}

secrets:
{{- if .Values.htpasswd }}
  registry_htpasswd:
    environment: htpasswd
{{- end }}
{{- if .Values.tls_certificate }}
  registry_tls_certificate:
    environment: tls_certificate
  registry_tls_key:
    environment: tls_key
{{- end }}
{{- end }}

volumes:
  data: {}
