{{- define "wavegate.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 45 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 45 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "wavegate.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: wavegate
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "wavegate.operatorSelector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "wavegate.agentSelector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: agent
{{- end -}}

{{- define "wavegate.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "wavegate.agentImage" -}}
{{ .Values.agent.image.repository }}:{{ .Values.agent.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "wavegate.operatorServiceAccount" -}}
{{ .Values.operator.serviceAccount.name | default (printf "%s-operator" (include "wavegate.fullname" .)) }}
{{- end -}}

{{- define "wavegate.agentServiceAccount" -}}
{{ .Values.agent.serviceAccount.name | default (printf "%s-agent" (include "wavegate.fullname" .)) }}
{{- end -}}

{{- define "wavegate.operatorUser" -}}
system:serviceaccount:{{ .Release.Namespace }}:{{ include "wavegate.operatorServiceAccount" . }}
{{- end -}}

{{- define "wavegate.agentUser" -}}
system:serviceaccount:{{ .Release.Namespace }}:{{ include "wavegate.agentServiceAccount" . }}
{{- end -}}

{{- /* Agents outside a pod (docs/node-contract.md#agents-that-do-not-run-in-a-pod): user prefix and group. */ -}}
{{- define "wavegate.externalAgentUserPrefix" -}}wavegate:agent:{{- end }}
{{- define "wavegate.externalAgentGroup" -}}wavegate:agents{{- end }}

{{- define "wavegate.agentPriorityClass" -}}
{{ .Values.agent.priorityClass.name | default (printf "%s-agent" (include "wavegate.fullname" .)) }}
{{- end -}}

{{/* The namespaces the operator reads sources from: the list given, or the release namespace. */}}
{{- define "wavegate.sourceNamespaces" -}}
{{- if .Values.sourceNamespaces -}}
{{ join "," (uniq .Values.sourceNamespaces) }}
{{- else -}}
{{ .Release.Namespace }}
{{- end -}}
{{- end -}}

{{/* The container security context of both components: no privilege escalation, read-only root, no capabilities. */}}
{{- define "wavegate.restrictedContainer" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "wavegate.snapshotNamespace" -}}
{{- default (printf "%s-snapshots" (include "wavegate.fullname" .)) .Values.snapshots.namespace -}}
{{- end -}}

{{- define "wavegate.validatorNamespace" -}}
{{- default (printf "%s-validators" (include "wavegate.fullname" .)) .Values.validators.namespace -}}
{{- end -}}

{{- define "wavegate.validatorServiceAccount" -}}
{{- printf "%s-validator" (include "wavegate.fullname" .) -}}
{{- end -}}

{{- define "wavegate.trustedKeysConfigMap" -}}
{{- printf "%s-trusted-keys" (include "wavegate.fullname" .) -}}
{{- end -}}
