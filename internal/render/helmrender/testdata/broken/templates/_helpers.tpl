{{- define "broken.password" -}}
{{- required "password is required" .Values.password -}}
{{- end -}}
