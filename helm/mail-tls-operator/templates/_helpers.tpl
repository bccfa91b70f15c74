{{- define "mailtls.name" -}}mail-tls-operator{{- end -}}

{{- define "mailtls.fullname" -}}
{{- if contains "mail-tls-operator" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-mail-tls-operator" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "mailtls.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mailtls.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "mailtls.labels" -}}
{{ include "mailtls.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "mailtls.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "mailtls.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The rules on MailEndpointPolicies and Events: exactly the calls the operator makes. */}}
{{- define "mailtls.policyRules" -}}
- apiGroups: ["mailtls.io"]
  resources: ["mailendpointpolicies"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["mailtls.io"]
  resources: ["mailendpointpolicies/status"]
  verbs: ["patch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end -}}
