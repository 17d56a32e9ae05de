package io.tether.deploy;

import static io.tether.deploy.Objects.map;
import static io.tether.deploy.Objects.maps;
import static io.tether.deploy.Objects.path;
import static io.tether.deploy.Objects.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Attachments and the device HTTPS endpoint in the chart: the signing keys and S3 credentials become Secrets that
 * reach the services that use them (and no others), the endpoint is reachable on the gateway's load balancer or
 * through an Ingress, and what cannot work does not render.
 */
class AttachmentsChartTest {
    private static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIG\n-----END PRIVATE KEY-----\n";

    private static Map<String, Object> attachments() {
        Map<String, Object> set = new HashMap<>();
        set.put("attachments.enabled", true);
        set.put("attachments.publicUrl", "https://devices.example.com");
        set.put("attachments.signingKeys.k2026a", PEM);
        set.put("attachments.s3.endpoint", "https://s3.example.com");
        set.put("attachments.s3.credentials.accessKeyId", "AKIAEXAMPLE");
        set.put("attachments.s3.credentials.secretAccessKey", "not-a-real-secret");
        set.put("gatewayMqtt.deviceHttp.enabled", true);
        set.put("gatewayMqtt.mqtt.tls.enabled", true);
        set.put("gatewayMqtt.mqtt.tls.secretName", "devices-tls");
        return set;
    }

    private static Map<String, Object> pod(Rendering rendering, Service service) {
        return path(rendering.get("Deployment", service.objectName()).object(), "spec", "template", "spec");
    }

    private static Optional<String> envSecret(Map<String, Object> pod, String name) {
        return maps(maps(pod, "containers").get(0), "env").stream().filter(e -> name.equals(e.get("name")))
                .map(e -> string(path(e, "valueFrom", "secretKeyRef"), "name")).findFirst();
    }

    @Test
    void keysAndS3CredentialsBecomeSecretsMountedWhereTheServicesUseThem() throws IOException {
        Rendering rendering = Rendering.of(Rendering.DEFAULT, attachments());
        assertEquals(Set.of("k2026a.pem"), map(rendering.get("Secret", "tether-signing-keys").object(), "data").keySet());
        assertEquals(Set.of("access-key-id", "secret-access-key"), map(rendering.get("Secret", "tether-s3").object(), "data").keySet());

        for (Service service : Service.values()) {
            Properties config = ManifestsMatchCodeTest.properties(rendering, service);
            Map<String, Object> pod = pod(rendering, service);
            boolean signs = service == Service.FANOUT_SERVICE || service == Service.PUSH_SERVICE || service == Service.GATEWAY_MQTT;
            boolean stores = service == Service.FANOUT_SERVICE || service == Service.GATEWAY_MQTT;
            assertEquals(signs ? "/etc/tether/signing-keys" : null, config.getProperty("tether.attachments.signing-keys-dir"), service.module);
            assertEquals(signs, maps(pod, "volumes").stream().anyMatch(v -> v.containsKey("secret")
                    && "tether-signing-keys".equals(map(v, "secret").get("secretName"))), service + ": keys volume");
            assertEquals(signs, maps(maps(pod, "containers").get(0), "volumeMounts").stream()
                    .anyMatch(m -> "/etc/tether/signing-keys".equals(m.get("mountPath"))), service + ": keys mount");
            assertEquals(stores ? "tether-attachments" : null, config.getProperty("tether.attachments.s3.bucket"), service.module);
            assertEquals(stores ? "https://s3.example.com" : null, config.getProperty("tether.attachments.s3.endpoint"), service.module);
            assertEquals(stores ? Optional.of("tether-s3") : Optional.empty(), envSecret(pod, "TETHER_ATTACHMENTS_S3_ACCESS_KEY_ID"), service.module);
            assertEquals(stores ? Optional.of("tether-s3") : Optional.empty(), envSecret(pod, "TETHER_ATTACHMENTS_S3_SECRET_ACCESS_KEY"), service.module);
        }
        Properties fanout = ManifestsMatchCodeTest.properties(rendering, Service.FANOUT_SERVICE);
        assertEquals("https://devices.example.com", fanout.getProperty("tether.attachments.public-url"));
        assertEquals("5368709120", fanout.getProperty("tether.attachments.max-upload-bytes"));
        assertEquals("PT1H", ManifestsMatchCodeTest.properties(rendering, Service.PUSH_SERVICE).getProperty("tether.attachments.fetch-token-ttl"));

        Properties gateway = ManifestsMatchCodeTest.properties(rendering, Service.GATEWAY_MQTT);
        assertEquals("8444", gateway.getProperty("tether.device-http.port"));
        assertEquals("true", gateway.getProperty("tether.device-http.tls"));
        Map<String, Object> port = maps(path(rendering.get("Service", "tether-gateway-mqtt").object(), "spec"), "ports").stream()
                .filter(p -> "device-https".equals(p.get("name"))).findFirst().orElseThrow(() -> new AssertionError("no device-https port"));
        assertEquals(443, ((Number) port.get("port")).intValue());
        assertEquals("device-http", port.get("targetPort"));
        assertTrue(rendering.find("Ingress", "tether-gateway-mqtt-devices").isEmpty());

        // Everything else holds as for any rendering.
        new ManifestsMatchCodeTest().deploymentsMatchWhatTheServicesListenOnAndRead(rendering);
        new ChartTest().networkPoliciesLetThroughWhatMustTalk(rendering);
        new ChartTest().everyObjectParsesStrictlyAgainstTheKubernetesApiModel(rendering);
        new ChartTest().servicesPdbsAndHpasPointAtTheirDeployments(rendering);
    }

    @Test
    void anIngressServesTheDeviceEndpointInsteadOfTheLoadBalancer() throws IOException {
        Map<String, Object> set = attachments();
        set.remove("gatewayMqtt.mqtt.tls.enabled");
        set.remove("gatewayMqtt.mqtt.tls.secretName");
        set.put("gatewayMqtt.deviceHttp.tls", false);
        set.put("gatewayMqtt.deviceHttp.ingress.enabled", true);
        set.put("gatewayMqtt.deviceHttp.ingress.className", "nginx");
        set.put("gatewayMqtt.deviceHttp.ingress.tlsSecretName", "devices-example-com");
        Rendering rendering = Rendering.of(Rendering.DEFAULT, set);

        Map<String, Object> ingress = path(rendering.get("Ingress", "tether-gateway-mqtt-devices").object(), "spec");
        assertEquals("nginx", ingress.get("ingressClassName"));
        assertEquals(List.of("devices.example.com"), maps(ingress, "tls").get(0).get("hosts"));
        assertEquals("devices-example-com", maps(ingress, "tls").get(0).get("secretName"));
        Map<String, Object> backend = path(maps(path(maps(ingress, "rules").get(0), "http"), "paths").get(0), "backend", "service");
        assertEquals("tether-gateway-mqtt-devices", backend.get("name"));
        assertEquals("device-http", map(backend, "port").get("name"));
        Map<String, Object> service = path(rendering.get("Service", "tether-gateway-mqtt-devices").object(), "spec");
        assertEquals("ClusterIP", service.get("type"));
        // With MQTT over TLS off and plain MQTT internal, the load balancer Service is not rendered at all.
        assertFalse(rendering.find("Service", "tether-gateway-mqtt").stream()
                .flatMap(lb -> maps(path(lb.object(), "spec"), "ports").stream())
                .anyMatch(p -> "device-https".equals(p.get("name"))), "plain HTTP must not be on the load balancer");
        assertEquals("false", ManifestsMatchCodeTest.properties(rendering, Service.GATEWAY_MQTT).getProperty("tether.device-http.tls"));

        new ChartTest().everyObjectParsesStrictlyAgainstTheKubernetesApiModel(rendering);
        new ChartTest().servicesPdbsAndHpasPointAtTheirDeployments(rendering);
        new ManifestsMatchCodeTest().deploymentsMatchWhatTheServicesListenOnAndRead(rendering);
    }

    @Test
    void existingSecretsAreUsedAsTheyAreAndTheAwsDefaultChainNeedsNone() {
        Map<String, Object> set = attachments();
        set.remove("attachments.signingKeys.k2026a");
        set.remove("attachments.s3.credentials.accessKeyId");
        set.remove("attachments.s3.credentials.secretAccessKey");
        set.put("attachments.existingSecret", "my-keys");
        Rendering rendering = Rendering.of(Rendering.DEFAULT, set);
        assertTrue(rendering.find("Secret", "tether-signing-keys").isEmpty());
        assertTrue(rendering.find("Secret", "tether-s3").isEmpty());
        Map<String, Object> pod = pod(rendering, Service.GATEWAY_MQTT);
        assertTrue(maps(pod, "volumes").stream().anyMatch(v -> v.containsKey("secret") && "my-keys".equals(map(v, "secret").get("secretName"))));
        assertEquals(Optional.empty(), envSecret(pod, "TETHER_ATTACHMENTS_S3_ACCESS_KEY_ID"), "IRSA or the instance role");
    }

    @Test
    void whatCannotWorkDoesNotRender() {
        Map<String, Object> noEndpoint = attachments();
        noEndpoint.put("gatewayMqtt.deviceHttp.enabled", false);
        assertRenderFails(noEndpoint, "needs gatewayMqtt.deviceHttp.enabled");

        Map<String, Object> noKeys = attachments();
        noKeys.remove("attachments.signingKeys.k2026a");
        assertRenderFails(noKeys, "attachments.signingKeys");

        Map<String, Object> noUrl = attachments();
        noUrl.remove("attachments.publicUrl");
        assertRenderFails(noUrl, "attachments.publicUrl is required");

        Map<String, Object> noCertificate = attachments();
        noCertificate.remove("gatewayMqtt.mqtt.tls.enabled");
        noCertificate.remove("gatewayMqtt.mqtt.tls.secretName");
        assertRenderFails(noCertificate, "enable gatewayMqtt.mqtt.tls");
    }

    @Test
    void offByDefault() throws IOException {
        Rendering rendering = Rendering.of(Rendering.DEFAULT);
        for (Service service : Service.values()) {
            Properties config = ManifestsMatchCodeTest.properties(rendering, service);
            assertTrue(config.stringPropertyNames().stream().noneMatch(k -> k.startsWith("tether.attachments.") || k.startsWith("tether.device-http.")),
                    service.module);
        }
        assertNull(rendering.find("Secret", "tether-signing-keys").orElse(null));
    }

    private static void assertRenderFails(Map<String, Object> set, String message) {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> Rendering.of(Rendering.DEFAULT, set));
        assertTrue(String.valueOf(failure.getMessage()).contains(message), failure.getMessage());
    }
}
