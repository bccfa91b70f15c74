{{- define "mailtls.name" -}}
{{- default "mail-tls-operator" .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mailtls.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "mailtls.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "mailtls.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* operator.shutdownTimeout ("30s", "2m") in seconds; the schema allows only these forms. */}}
{{- define "mailtls.shutdownSeconds" -}}
{{- $t := .Values.operator.shutdownTimeout -}}
{{- if hasSuffix "m" $t -}}
{{- mul (trimSuffix "m" $t | atoi) 60 -}}
{{- else -}}
{{- trimSuffix "s" $t | atoi -}}
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

{{/* The rules on the policies and Events: exactly the calls the operator makes. MailSenderPolicies
     only with the receiver. */}}
{{- define "mailtls.policyRules" -}}
- apiGroups: ["mailtls.io"]
  resources: ["mailendpointpolicies"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["mailtls.io"]
  resources: ["mailendpointpolicies/status"]
  verbs: ["patch"]
{{- if .Values.receiver.enabled }}
- apiGroups: ["mailtls.io"]
  resources: ["mailsenderpolicies"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["mailtls.io"]
  resources: ["mailsenderpolicies/status"]
  verbs: ["patch"]
{{- end }}
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end -}}
