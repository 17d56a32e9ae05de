{{/*
Helpers of the Tether chart. Most take a dict: root (the chart's top-level context), component (the service's
name, e.g. gateway-mqtt) and svc (the service's values block).
*/}}

{{/* <release> when it contains "tether", else <release>-tether; at most 40 characters, so that
<fullname>-<component>-http stays within the 63 characters of a Kubernetes name. */}}
{{- define "tether.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default "tether" .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of a service's objects: <fullname>-<component>. */}}
{{- define "tether.name" -}}
{{- printf "%s-%s" (include "tether.fullname" .root) .component -}}
{{- end -}}

{{/* Labels of every object; component is optional. */}}
{{- define "tether.labels" -}}
app.kubernetes.io/name: tether
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
app.kubernetes.io/part-of: tether
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{- if not .root.Values.plainManifests }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end }}
{{- end -}}

{{/* Labels that select a service's pods. */}}
{{- define "tether.selectorLabels" -}}
app.kubernetes.io/name: tether
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "tether.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tether.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the bootstrap API key. */}}
{{- define "tether.credentialsSecret" -}}
{{- if .Values.api.existingSecret -}}
{{- .Values.api.existingSecret -}}
{{- else if .Values.plainManifests -}}
{{- fail "plainManifests needs api.existingSecret: plain manifests carry no generated secret" -}}
{{- else -}}
{{- printf "%s-credentials" (include "tether.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the attachment signing keys (<kid>.pem entries). */}}
{{- define "tether.signingKeysSecret" -}}
{{- if .Values.attachments.existingSecret -}}
{{- .Values.attachments.existingSecret -}}
{{- else if .Values.plainManifests -}}
{{- fail "plainManifests needs attachments.existingSecret: plain manifests carry no signing keys" -}}
{{- else -}}
{{- printf "%s-signing-keys" (include "tether.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the S3 credentials; empty when the AWS SDK's default chain provides them. */}}
{{- define "tether.s3Secret" -}}
{{- $credentials := .Values.attachments.s3.credentials -}}
{{- if $credentials.existingSecret -}}
{{- $credentials.existingSecret -}}
{{- else if $credentials.accessKeyId -}}
{{- if .Values.plainManifests -}}
{{- fail "plainManifests needs attachments.s3.credentials.existingSecret: plain manifests carry no credentials" -}}
{{- end -}}
{{- printf "%s-s3" (include "tether.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* "true" for the services that hold the signing keys when attachments are on: fanout-service and push-service
sign, gateway-mqtt verifies. */}}
{{- define "tether.usesSigningKeys" -}}
{{- if and .root.Values.attachments.enabled (has .component (list "gateway-mqtt" "fanout-service" "push-service")) }}true{{ end -}}
{{- end -}}

{{/* "true" for the services that use the S3 store when attachments are on: fanout-service writes, gateway-mqtt reads. */}}
{{- define "tether.usesS3" -}}
{{- if and .root.Values.attachments.enabled (has .component (list "gateway-mqtt" "fanout-service")) }}true{{ end -}}
{{- end -}}

{{/* Where the signing keys Secret is mounted. */}}
{{- define "tether.signingKeysDir" -}}
/etc/tether/signing-keys
{{- end -}}

{{/* The Secret holding the APNs keys and certificates. */}}
{{- define "tether.apnsSecret" -}}
{{- default (printf "%s-apns" (include "tether.fullname" .)) .Values.pushService.apns.existingSecret -}}
{{- end -}}

{{/* <registry>/<group>/<name>:<tag> */}}
{{- define "tether.image" -}}
{{- $image := .root.Values.image -}}
{{- $tag := default .root.Chart.AppVersion $image.tag -}}
{{- if $image.registry -}}
{{- printf "%s/%s/%s:%s" (trimSuffix "/" $image.registry) $image.group .svc.image.name $tag -}}
{{- else -}}
{{- printf "%s/%s:%s" $image.group .svc.image.name $tag -}}
{{- end -}}
{{- end -}}

{{/* A value as a properties value: whole numbers without exponent (YAML numbers arrive as float64). */}}
{{- define "tether.propertyValue" -}}
{{- if and (kindIs "float64" .) (eq . (float64 (int64 .))) -}}
{{- int64 . -}}
{{- else -}}
{{- . -}}
{{- end -}}
{{- end -}}

{{/*
Properties from a values block: dict prefix, values. camelCase keys become kebab-case, nested maps nested
names; empty strings and nulls are left out, so that the service's default applies.
*/}}
{{- define "tether.properties" -}}
{{- $prefix := .prefix -}}
{{- range $key, $value := .values }}
{{- $name := printf "%s.%s" $prefix (kebabcase $key) -}}
{{- if kindIs "map" $value }}
{{- include "tether.properties" (dict "prefix" $name "values" $value) }}
{{- else if not (or (kindIs "invalid" $value) (and (kindIs "string" $value) (eq $value ""))) }}
{{ $name }}={{ include "tether.propertyValue" $value }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Properties every service reads: Kafka client pass-through (keys verbatim, quoted because they hold dots),
tracing, and the service's free-form config. */}}
{{- define "tether.commonProperties" -}}
{{- if include "tether.usesKafka" . }}
tether.redis.wait-replicas={{ .root.Values.redis.waitReplicas | default 0 }}
{{- include "tether.properties" (dict "prefix" "tether.kafka.topics" "values" .root.Values.kafka.topics) }}
{{- range $key, $value := .root.Values.kafka.client }}
tether.kafka.client."{{ $key }}"={{ include "tether.propertyValue" $value }}
{{- end }}
{{- range $key, $value := .root.Values.kafka.producer }}
tether.kafka.producer."{{ $key }}"={{ include "tether.propertyValue" $value }}
{{- end }}
{{- range $key, $value := .root.Values.kafka.consumer }}
tether.kafka.consumer."{{ $key }}"={{ include "tether.propertyValue" $value }}
{{- end }}
{{- end }}
{{- with .root.Values.tracing }}
{{- if .enabled }}
quarkus.otel.sdk.disabled=false
quarkus.otel.exporter.otlp.traces.endpoint={{ .endpoint }}
quarkus.otel.exporter.otlp.traces.protocol={{ .protocol }}
quarkus.otel.traces.sampler=parentbased_traceidratio
quarkus.otel.traces.sampler.arg={{ .samplerRatio }}
{{- end }}
{{- end }}
{{- include "tether.attachmentsProperties" . }}
{{- range $key, $value := .svc.config }}
{{ $key }}={{ include "tether.propertyValue" $value }}
{{- end }}
{{- end -}}

{{/* Where the properties file is mounted; QUARKUS_CONFIG_LOCATIONS points there. */}}
{{- define "tether.configFile" -}}
/etc/tether/config/application.properties
{{- end -}}

{{/* "true" for the services that use Kafka (all but device-registry). */}}
{{- define "tether.usesKafka" -}}
{{- if has .component (list "gateway-mqtt" "fanout-service" "push-service" "webhook-service") }}true{{ end -}}
{{- end -}}

{{/* Environment of every service. */}}
{{- define "tether.commonEnv" -}}
- name: QUARKUS_CONFIG_LOCATIONS
  value: {{ include "tether.configFile" . }}
{{- if include "tether.usesKafka" . }}
- name: TETHER_KAFKA_BOOTSTRAP_SERVERS
  value: {{ .root.Values.kafka.bootstrapServers | quote }}
{{- if has .component (list "fanout-service" "push-service" "webhook-service") }}
# Static group membership: a container restarted in its pod gets its partitions back at once (a stopped pod
# leaves its groups all the same, so a rollout does not wait for its session to time out).
- name: TETHER_KAFKA_INSTANCE_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end }}
{{- end }}
- name: TETHER_REDIS_URI
{{- if .root.Values.redis.existingSecret }}
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.redis.existingSecret }}
      key: {{ .root.Values.redis.existingSecretKey }}
{{- else }}
  value: {{ .root.Values.redis.uri | quote }}
{{- end }}
{{ include "tether.jvmEnv" .root }}
{{- if include "tether.usesS3" . }}
{{- with include "tether.s3Secret" .root }}
{{- $credentials := $.root.Values.attachments.s3.credentials }}
- name: TETHER_ATTACHMENTS_S3_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ if $credentials.existingSecret }}{{ $credentials.accessKeyIdKey }}{{ else }}access-key-id{{ end }}
- name: TETHER_ATTACHMENTS_S3_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ if $credentials.existingSecret }}{{ $credentials.secretAccessKeyKey }}{{ else }}secret-access-key{{ end }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
JVM options, through the variables of the images' entry point, the ubi9 OpenJDK run-java.sh (Jib and the
Dockerfiles both start it). The script itself puts -XX:MaxRAMPercentage (JAVA_MAX_MEM_RATIO, default 80) and a
collector (GC_CONTAINER_OPTIONS, default -XX:+UseParallelGC) on the command line, where they override
JAVA_TOOL_OPTIONS, or, for a second collector, stop the JVM at start ("Multiple garbage collectors selected"): so
the chart sets those two through the script and refuses them in jvmOptions. JAVA_OPTS replaces everything the
script adds.
*/}}
{{- define "tether.jvmEnv" -}}
{{- if .Values.jvm.javaOpts -}}
{{- if .Values.jvmOptions }}
{{- fail "jvmOptions is not used with jvm.javaOpts (which replaces every option of the image's run-java.sh): put them in jvm.javaOpts" }}
{{- end -}}
- name: JAVA_OPTS
  value: {{ .Values.jvm.javaOpts | quote }}
{{- else -}}
{{- if regexMatch `-XX:\+Use[A-Za-z0-9]*GC\b` (toString .Values.jvmOptions) }}
{{- fail (printf "jvmOptions selects a garbage collector (%s): set jvm.gc instead; the image's run-java.sh adds its own collector to the command line and the JVM refuses to start with two" (regexFind `-XX:\+Use[A-Za-z0-9]*GC\b` .Values.jvmOptions)) }}
{{- end }}
{{- if contains "MaxRAMPercentage" (toString .Values.jvmOptions) }}
{{- fail "jvmOptions sets MaxRAMPercentage: set jvm.maxRamPercentage instead; the image's run-java.sh puts its own (80) on the command line, which would win" }}
{{- end -}}
- name: JAVA_MAX_MEM_RATIO
  value: {{ include "tether.propertyValue" .Values.jvm.maxRamPercentage | quote }}
- name: GC_CONTAINER_OPTIONS
  value: {{ required "jvm.gc is required (e.g. -XX:+UseG1GC)" .Values.jvm.gc | quote }}
# Replaces the image's own JAVA_OPTS_APPEND, whose log manager setting is kept.
- name: JAVA_OPTS_APPEND
  value: {{ printf "-Djava.util.logging.manager=org.jboss.logmanager.LogManager %s" (toString .Values.jvmOptions) | trim | quote }}
{{- end -}}
{{- end -}}

{{/* The bootstrap API key, for the REST services. */}}
{{- define "tether.apiKeyEnv" -}}
- name: TETHER_API_BOOTSTRAP_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "tether.credentialsSecret" .root }}
      key: {{ if .root.Values.api.existingSecret }}{{ .root.Values.api.existingSecretKey }}{{ else }}api-bootstrap-key{{ end }}
{{- end -}}

{{/* Pod template metadata: labels, and a checksum of the config so that a change rolls the pods. */}}
{{- define "tether.podMetadata" -}}
labels:
  {{- include "tether.labels" . | nindent 2 }}
  {{- with .svc.podLabels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
annotations:
  checksum/config: {{ .config | sha256sum }}
  {{- with .svc.podAnnotations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end -}}

{{/* Probes on the SmallRye Health endpoints of the port named http. */}}
{{- define "tether.probes" -}}
{{- $probes := .root.Values.probes -}}
startupProbe:
  httpGet:
    path: /q/health/started
    port: http
  periodSeconds: {{ $probes.startup.periodSeconds }}
  failureThreshold: {{ $probes.startup.failureThreshold }}
livenessProbe:
  httpGet:
    path: /q/health/live
    port: http
  periodSeconds: {{ $probes.liveness.periodSeconds }}
  timeoutSeconds: {{ $probes.liveness.timeoutSeconds }}
  failureThreshold: {{ $probes.liveness.failureThreshold }}
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: http
  periodSeconds: {{ $probes.readiness.periodSeconds }}
  timeoutSeconds: {{ $probes.readiness.timeoutSeconds }}
  failureThreshold: {{ $probes.readiness.failureThreshold }}
{{- end -}}

{{/* preStop: leave the Service endpoints before SIGTERM (Kubernetes >= 1.30 sleep action, no shell needed). */}}
{{- define "tether.lifecycle" -}}
{{- if gt (int .svc.preStopSleepSeconds) 0 -}}
lifecycle:
  preStop:
    sleep:
      seconds: {{ .svc.preStopSleepSeconds }}
{{- end -}}
{{- end -}}

{{/* Pod-level fields shared by every service. */}}
{{- define "tether.podSpec" -}}
serviceAccountName: {{ include "tether.serviceAccountName" .root }}
automountServiceAccountToken: false
{{- with .root.Values.image.pullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- with .svc.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .svc.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .svc.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .svc.affinity }}
affinity:
  {{- toYaml .svc.affinity | nindent 2 }}
{{- else if .root.Values.scheduling.antiAffinity }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "tether.selectorLabels" . | nindent 14 }}
{{- end }}
{{- if .svc.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml .svc.topologySpreadConstraints | nindent 2 }}
{{- else if .root.Values.scheduling.zoneSpread }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "tether.selectorLabels" . | nindent 8 }}
{{- end }}
{{- end -}}

{{/* Volumes of every pod: /tmp and the config file; plus the service's extras. */}}
{{- define "tether.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .root.Values.tmpSizeLimit }}
- name: config
  configMap:
    name: {{ include "tether.name" . }}
{{- if include "tether.usesSigningKeys" . }}
- name: signing-keys
  secret:
    secretName: {{ include "tether.signingKeysSecret" .root }}
    defaultMode: 0440
{{- end }}
{{- with .svc.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "tether.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: config
  mountPath: /etc/tether/config
  readOnly: true
{{- if include "tether.usesSigningKeys" . }}
- name: signing-keys
  mountPath: {{ include "tether.signingKeysDir" . }}
  readOnly: true
{{- end }}
{{- with .svc.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The port of an OTLP endpoint URL. */}}
{{- define "tether.tracingPort" -}}
{{- $host := (urlParse .Values.tracing.endpoint).host -}}
{{- if contains ":" $host -}}
{{- last (splitList ":" $host) -}}
{{- else if hasPrefix "https" .Values.tracing.endpoint -}}
443
{{- else -}}
80
{{- end -}}
{{- end -}}

{{/* One egress rule: dict ports (list), to (peers), udp (also UDP). */}}
{{- define "tether.egressRule" -}}
- ports:
    {{- range .ports }}
    - port: {{ . }}
      protocol: TCP
    {{- if $.udp }}
    - port: {{ . }}
      protocol: UDP
    {{- end }}
    {{- end }}
  {{- with .to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{/* Egress every service needs: DNS, Kafka (but device-registry), Redis, and the OTLP collector when tracing is on. */}}
{{- define "tether.commonEgress" -}}
{{- $np := .root.Values.networkPolicy -}}
{{ include "tether.egressRule" (dict "ports" $np.dns.ports "to" $np.dns.to "udp" true) }}
{{- if include "tether.usesKafka" . }}
{{ include "tether.egressRule" (dict "ports" $np.kafka.ports "to" $np.kafka.to) }}
{{- end }}
{{ include "tether.egressRule" (dict "ports" $np.redis.ports "to" $np.redis.to) }}
{{- if .root.Values.tracing.enabled }}
{{ include "tether.egressRule" (dict "ports" (list (include "tether.tracingPort" .root)) "to" .root.Values.tracing.to) }}
{{- end }}
{{- if include "tether.usesS3" . }}
{{ include "tether.egressRule" (dict "ports" $np.s3.ports "to" $np.s3.to) }}
{{- end }}
{{- end -}}

{{/* Ingress of the HTTP port: from the given peers (empty: anyone). */}}
{{- define "tether.httpIngress" -}}
- ports:
    - port: http
      protocol: TCP
  {{- with .from }}
  from:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
