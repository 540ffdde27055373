{{- define "replace.x" -}}
{{ .Values.x }}/{{ typeOf .Values }}
{{- end }}
