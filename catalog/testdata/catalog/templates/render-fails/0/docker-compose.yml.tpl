services:
  web:
    image: nginx:1.25.4
{{- range until .Values.count }}
    command: ["x"]
{{- end }}
