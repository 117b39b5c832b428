{{- define "kube-rmi.labels" -}}
app.kubernetes.io/name: kube-rmi
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{- define "kube-rmi.tag" -}}
{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* Restricted-profile container security: read-only root, nothing to escalate, no capabilities. */}}
{{- define "kube-rmi.containerSecurity" -}}
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Where the operator runs: its own namespace when operator.namespace is set, else the release's. */}}
{{- define "kube-rmi.operatorNamespace" -}}
{{ .Values.operator.namespace | default .Release.Namespace }}
{{- end }}

{{/* The agent's protected globs: the configured ones and the repositories the chart deploys. */}}
{{- define "kube-rmi.protectedImages" -}}
{{- $own := list }}
{{- range (list .Values.image.operatorRepository .Values.image.agentRepository) }}
{{- $own = append $own (printf "%s:*" .) }}
{{- $own = append $own (printf "%s@*" .) }}
{{- end }}
{{- join "," (concat .Values.agent.protectedImages $own) }}
{{- end }}
