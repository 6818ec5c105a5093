services:
  web:
    image: nginx:1.25.4
    deploy:
      replicas: {{ .Values.replicas }}
    environment:
      TITLE: ${title}
{{- if .Values.with_cache }}
  cache:
    image: redis:7.2.4
{{- end }}
