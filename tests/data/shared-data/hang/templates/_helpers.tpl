{{- define "hang.selectorLabels" -}}
{{- $labels := dict "app.kubernetes.io/name" .Chart.Name }}
{{- $_ := set .Values.shared.labels "selector" $labels }}
{{- $_ := set .Values.shared "count" (add1 (.Values.shared.count | default 0)) }}
{{- toYaml .Values.shared.labels }}
{{- end }}
