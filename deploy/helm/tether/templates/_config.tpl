{{/*
The application.properties of each service (mounted from its ConfigMap; QUARKUS_CONFIG_LOCATIONS names it).
Kafka bootstrap servers, the Redis URI and secrets come as environment variables instead (see tether.commonEnv).
*/}}

{{- define "tether.deviceRegistry.properties" -}}
# device-registry: rendered by the Tether Helm chart.
{{- include "tether.properties" (dict "prefix" "tether.redis" "values" .svc.redis) }}
{{- include "tether.properties" (dict "prefix" "tether.api" "values" .root.Values.api.settings) }}
quarkus.shutdown.timeout={{ .svc.shutdownTimeoutSeconds }}s
{{- include "tether.commonProperties" . }}
{{- end -}}

{{- define "tether.fanoutService.properties" -}}
# fanout-service: rendered by the Tether Helm chart.
{{- include "tether.properties" (dict "prefix" "tether.fanout" "values" .svc.fanout) }}
{{- include "tether.properties" (dict "prefix" "tether.inbox" "values" .root.Values.inbox) }}
{{- include "tether.properties" (dict "prefix" "tether.api" "values" .root.Values.api.settings) }}
quarkus.shutdown.timeout={{ .svc.shutdownTimeoutSeconds }}s
{{- include "tether.commonProperties" . }}
{{- end -}}

{{- define "tether.pushService.properties" -}}
# push-service: rendered by the Tether Helm chart.
{{- $apns := omit .svc.apns "apps" "existingSecret" }}
{{- include "tether.properties" (dict "prefix" "tether.apns" "values" $apns) }}
{{- range $name, $app := .svc.apns.apps }}
{{- if not (regexMatch "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$" $name) }}
{{- fail (printf "pushService.apns.apps: %q is not a valid app name (lower-case letters, digits, dashes)" $name) }}
{{- end }}
tether.apns.apps.{{ $name }}.bundle-id={{ required (printf "pushService.apns.apps.%s.bundleId is required" $name) $app.bundleId }}
{{- if $app.teamId }}
tether.apns.apps.{{ $name }}.team-id={{ $app.teamId }}
tether.apns.apps.{{ $name }}.key-id={{ required (printf "pushService.apns.apps.%s.keyId is required with teamId" $name) $app.keyId }}
tether.apns.apps.{{ $name }}.signing-key=/etc/tether/apns/{{ $name }}.p8
{{- else }}
tether.apns.apps.{{ $name }}.certificate=/etc/tether/apns/{{ $name }}.p12
tether.apns.apps.{{ $name }}.certificate-password={{ printf "${%s:}" (include "tether.apnsPasswordEnv" $name) }}
{{- end }}
{{- end }}
quarkus.shutdown.timeout={{ .svc.shutdownTimeoutSeconds }}s
{{- include "tether.commonProperties" . }}
{{- end -}}

{{- define "tether.webhookService.properties" -}}
# webhook-service: rendered by the Tether Helm chart.
{{- include "tether.properties" (dict "prefix" "tether.webhooks" "values" .svc.webhooks) }}
{{- include "tether.properties" (dict "prefix" "tether.api" "values" .root.Values.api.settings) }}
quarkus.shutdown.timeout={{ .svc.shutdownTimeoutSeconds }}s
{{- include "tether.commonProperties" . }}
{{- end -}}

{{/* Environment variable carrying the PKCS#12 password of an APNs app. */}}
{{- define "tether.apnsPasswordEnv" -}}
{{- printf "APNS_%s_CERTIFICATE_PASSWORD" (. | upper | replace "-" "_") -}}
{{- end -}}

{{- define "tether.gatewayMqtt.properties" -}}
{{- $mqtt := .svc.mqtt -}}
# gateway-mqtt: rendered by the Tether Helm chart. The gateway id is the pod name (TETHER_GATEWAY_ID).
{{- include "tether.properties" (dict "prefix" "tether.gateway" "values" .svc.gateway) }}
{{- include "tether.properties" (dict "prefix" "tether.inbox" "values" .root.Values.inbox) }}
tether.gateway.drain-window={{ .svc.drain.windowSeconds }}s
{{- with .svc.drain.serverReference }}
tether.gateway.drain-server-reference={{ . }}
{{- end }}
tether.mqtt.port={{ if $mqtt.plain.enabled }}{{ $mqtt.port }}{{ else }}0{{ end }}
tether.mqtt.max-message-size={{ include "tether.propertyValue" $mqtt.maxMessageSize }}
tether.mqtt.connect-timeout-seconds={{ $mqtt.connectTimeoutSeconds }}
{{- include "tether.properties" (dict "prefix" "tether.mqtt.limits" "values" $mqtt.limits) }}
{{- if $mqtt.tls.enabled }}
tether.mqtt.tls.port={{ $mqtt.tls.port }}
tether.mqtt.tls.certificates[0].cert=/etc/tether/tls/tls.crt
tether.mqtt.tls.certificates[0].key=/etc/tether/tls/tls.key
tether.mqtt.tls.client-auth={{ $mqtt.tls.clientAuth }}
{{- if $mqtt.tls.clientCaSecret }}
tether.mqtt.tls.client-ca=/etc/tether/tls-client-ca/ca.crt
{{- end }}
{{- else }}
tether.mqtt.tls.port=0
{{- end }}
tether.mqtt.websocket.port={{ if and $mqtt.plain.enabled $mqtt.websocket.enabled }}{{ $mqtt.websocket.port }}{{ else }}0{{ end }}
tether.mqtt.websocket.tls-port={{ if and $mqtt.tls.enabled $mqtt.websocket.tlsEnabled }}{{ $mqtt.websocket.tlsPort }}{{ else }}0{{ end }}
{{- with .svc.deviceHttp }}
{{- if .enabled }}
{{- if and .tls (not $mqtt.tls.enabled) }}
{{- fail "gatewayMqtt.deviceHttp.tls serves with the MQTT TLS certificate: enable gatewayMqtt.mqtt.tls, or set deviceHttp.tls false behind an Ingress" }}
{{- end }}
tether.device-http.port={{ .port }}
tether.device-http.tls={{ .tls }}
tether.device-http.max-fetch={{ .maxFetch }}
{{- end }}
{{- end }}
{{- /* Each listener is a server of its own in the gateway's JVM: two on one port cannot both bind. */}}
{{- $ports := list }}
{{- if $mqtt.plain.enabled }}{{ $ports = append $ports (int $mqtt.port) }}{{ end }}
{{- if $mqtt.tls.enabled }}{{ $ports = append $ports (int $mqtt.tls.port) }}{{ end }}
{{- if and $mqtt.plain.enabled $mqtt.websocket.enabled }}{{ $ports = append $ports (int $mqtt.websocket.port) }}{{ end }}
{{- if and $mqtt.tls.enabled $mqtt.websocket.tlsEnabled }}{{ $ports = append $ports (int $mqtt.websocket.tlsPort) }}{{ end }}
{{- if .svc.deviceHttp.enabled }}{{ $ports = append $ports (int .svc.deviceHttp.port) }}{{ end }}
{{- if ne (len $ports) (len (uniq $ports)) }}
{{- fail (printf "gatewayMqtt: two listeners on one container port (%v): give each enabled listener (mqtt, tls, websocket, deviceHttp) a port of its own" $ports) }}
{{- end }}
{{- if and .root.Values.attachments.enabled (not .svc.deviceHttp.enabled) }}
{{- fail "attachments.enabled needs gatewayMqtt.deviceHttp.enabled: devices download there" }}
{{- end }}
{{- include "tether.commonProperties" . }}
{{- end -}}

{{/* tether.attachments.* of a service: the keys where it signs or verifies, S3 where it stores or reads, and what
only fanout-service (uploads, descriptors) or push-service (fetch tokens) use. */}}
{{- define "tether.attachmentsProperties" -}}
{{- $a := .root.Values.attachments }}
{{- if include "tether.usesSigningKeys" . }}
tether.attachments.signing-keys-dir={{ include "tether.signingKeysDir" . }}
{{- with $a.signingKeyId }}
tether.attachments.signing-key-id={{ . }}
{{- end }}
{{- end }}
{{- if and $a.enabled (eq .component "fanout-service") }}
tether.attachments.public-url={{ required "attachments.publicUrl is required with attachments.enabled (https://<the device endpoint's DNS name>)" $a.publicUrl }}
{{- include "tether.properties" (dict "prefix" "tether.attachments" "values" (pick $a "maxUploadBytes" "unsentTtl" "deletionGrace")) }}
{{- end }}
{{- if and $a.enabled (eq .component "push-service") }}
{{- include "tether.properties" (dict "prefix" "tether.attachments" "values" (pick $a "fetchTokenTtl")) }}
{{- end }}
{{- if include "tether.usesS3" . }}
{{- include "tether.properties" (dict "prefix" "tether.attachments.s3" "values" (omit $a.s3 "credentials")) }}
{{- end }}
{{- end -}}
