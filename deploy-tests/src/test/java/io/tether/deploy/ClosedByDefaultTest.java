package io.tether.deploy;

import static io.tether.deploy.Objects.maps;
import static io.tether.deploy.Objects.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The chart is closed by default: device passwords never cross an internet-facing listener in clear. Production
 * values have no plain MQTT at all; the defaults keep it inside the cluster; making it public on a load balancer or
 * node port takes an explicit override, or the chart refuses to render.
 */
class ClosedByDefaultTest {
    /** The gateway's plain listeners, by container port name. */
    private static final Set<String> PLAIN = Set.of("mqtt", "mqtt-ws");

    @Test
    void productionValuesRenderNoPlainMqttPortOnALoadBalancerServiceOrAnywhereElse() throws IOException {
        Rendering production = Rendering.of(Rendering.PRODUCTION);
        Map<String, Object> deviceService = production.get("Service", "tether-gateway-mqtt").object();
        assertEquals("LoadBalancer", path(deviceService, "spec").get("type"));
        // MQTT over TLS (and WebSocket over TLS) and the devices' HTTPS endpoint: nothing in clear.
        assertEquals(Set.of("mqtt-tls", "mqtt-wss", "device-https"), portNames(deviceService));
        for (Rendering.Manifest service : production.ofKind("Service")) {
            if (!"ClusterIP".equals(path(service.object(), "spec").get("type"))) {
                assertTrue(portNames(service.object()).stream().noneMatch(PLAIN::contains), service + " exposes plain MQTT");
                for (Map<String, Object> port : maps(path(service.object(), "spec"), "ports")) {
                    assertFalse(List.of(1883, 8084).contains(((Number) port.get("port")).intValue()), service + ": " + port);
                }
            }
        }
        // Not even listening: the container has no plain port and the gateway is told to open none.
        assertTrue(production.find("Service", "tether-gateway-mqtt-internal").isEmpty());
        Map<String, Object> container = maps(path(production.get("Deployment", "tether-gateway-mqtt").object(), "spec", "template", "spec"),
                "containers").get(0);
        assertTrue(maps(container, "ports").stream().noneMatch(p -> PLAIN.contains(p.get("name"))), container.get("ports").toString());
        Properties config = ManifestsMatchCodeTest.properties(production, Service.GATEWAY_MQTT);
        assertEquals("0", config.getProperty("tether.mqtt.port"));
        assertEquals("0", config.getProperty("tether.mqtt.websocket.port"));
        assertEquals("8883", config.getProperty("tether.mqtt.tls.port"));
        assertEquals(Set.of("mqtt-tls", "mqtt-wss", "http", "device-http"), ingressPorts(production));
    }

    @Test
    void theDefaultsKeepPlainMqttInsideTheCluster() {
        Rendering defaults = Rendering.of(Rendering.DEFAULT);
        for (Rendering.Manifest service : defaults.ofKind("Service")) {
            if (portNames(service.object()).stream().anyMatch(PLAIN::contains)) {
                assertEquals("ClusterIP", path(service.object(), "spec").get("type"), service.toString());
            }
        }
        assertEquals(Set.of("mqtt", "mqtt-ws"), portNames(defaults.get("Service", "tether-gateway-mqtt-internal").object()));
        Map<String, Object> plainRule = maps(path(defaults.get("NetworkPolicy", "tether-gateway-mqtt").object(), "spec"), "ingress").stream()
                .filter(rule -> maps(rule, "ports").stream().anyMatch(p -> "mqtt".equals(p.get("port"))))
                .findFirst().orElseThrow();
        assertEquals(List.of(Map.of("podSelector", Map.of())), plainRule.get("from"), "only pods of the release's namespace");
    }

    @Test
    void twoGatewayListenersOnOneContainerPortAreRefused() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> Rendering.of(Rendering.PRODUCTION, Map.of(
                "gatewayMqtt.deviceHttp.port", 8883)));
        assertTrue(String.valueOf(refused.getMessage()).contains("two listeners on one container port"), refused.getMessage());
    }

    @Test
    void aPublicPlainListenerIsRefusedWithoutTheExplicitOverride() {
        for (String type : List.of("LoadBalancer", "NodePort")) {
            RuntimeException refused = assertThrows(RuntimeException.class, () -> Rendering.of(Rendering.DEFAULT, Map.of(
                    "gatewayMqtt.mqtt.plain.external", true, "gatewayMqtt.service.type", type)), type);
            assertTrue(String.valueOf(refused.getMessage()).contains("allowInsecureExternal"), refused.getMessage());
        }
        // Inside the cluster it is allowed; with the override, on a load balancer too, and then open to anyone.
        Rendering clusterIp = Rendering.of(Rendering.DEFAULT, Map.of("gatewayMqtt.mqtt.plain.external", true,
                "gatewayMqtt.service.type", "ClusterIP"));
        assertEquals(Set.of("mqtt", "mqtt-ws"), portNames(clusterIp.get("Service", "tether-gateway-mqtt").object()));
        Rendering overridden = Rendering.of(Rendering.DEFAULT, Map.of("gatewayMqtt.mqtt.plain.external", true,
                "gatewayMqtt.mqtt.plain.allowInsecureExternal", true));
        Map<String, Object> service = overridden.get("Service", "tether-gateway-mqtt").object();
        assertEquals("LoadBalancer", path(service, "spec").get("type"));
        assertTrue(portNames(service).contains("mqtt"));
        Map<String, Object> plainRule = maps(path(overridden.get("NetworkPolicy", "tether-gateway-mqtt").object(), "spec"), "ingress").stream()
                .filter(rule -> maps(rule, "ports").stream().anyMatch(p -> "mqtt".equals(p.get("port"))))
                .findFirst().orElseThrow();
        assertFalse(plainRule.containsKey("from"));
    }

    @Test
    void withoutTlsThereIsNoDeviceFacingServiceAtAll() {
        assertTrue(Rendering.of(Rendering.DEFAULT).find("Service", "tether-gateway-mqtt").isEmpty());
        assertTrue(Rendering.of(Rendering.DEFAULT, Map.of("gatewayMqtt.mqtt.plain.enabled", false)).ofKind("Service").stream()
                .noneMatch(service -> service.name().startsWith("tether-gateway-mqtt") && !service.name().endsWith("-http")));
    }

    @Test
    void productionWebhookEgressReachesPublicAddressesOnlyNeverThePrivateNetworkOrTheMetadataService() throws Exception {
        Map<String, Object> policy = path(Rendering.of(Rendering.PRODUCTION).get("NetworkPolicy", "tether-webhook-service").object(), "spec");
        List<Map<String, Object>> webRules = maps(policy, "egress").stream()
                .filter(rule -> maps(rule, "ports").stream().anyMatch(p -> List.of(80, 443).contains(((Number) p.get("port")).intValue())))
                .toList();
        assertEquals(1, webRules.size(), "one rule for the receivers: " + webRules);
        List<Map<String, Object>> peers = maps(webRules.get(0), "to");
        assertFalse(peers.isEmpty(), "no peers: any destination");
        for (String blocked : List.of("10.1.2.3", "172.20.0.5", "192.168.1.1", "169.254.169.254", "100.64.0.10",
                "fd00:ec2::254", "fe80::1")) {
            assertFalse(allows(peers, blocked), blocked + " is reachable on 80/443: " + peers);
        }
        for (String receiver : List.of("93.184.215.14", "8.8.8.8", "2606:2800:21f:cb07:6820:80da:af6b:8b2c")) {
            assertTrue(allows(peers, receiver), receiver + " is not reachable: " + peers);
        }
        // A rule of another port is no way around it: 80 and 443 appear in the receivers' rule only.
        assertTrue(maps(policy, "egress").stream().filter(rule -> !webRules.contains(rule)).flatMap(rule -> maps(rule, "ports").stream())
                .noneMatch(p -> List.of(80, 443).contains(((Number) p.get("port")).intValue())));
    }

    /** Whether a NetworkPolicy's peers (ipBlocks only) let an address through. */
    private static boolean allows(List<Map<String, Object>> peers, String address) throws java.net.UnknownHostException {
        java.net.InetAddress target = java.net.InetAddress.getByName(address);
        for (Map<String, Object> peer : peers) {
            assertEquals(Set.of("ipBlock"), peer.keySet(), "a peer that is not an ipBlock: " + peer);
            Map<String, Object> block = path(peer, "ipBlock");
            if (inCidr(target, (String) block.get("cidr"))
                    && Objects.list(block, "except").stream().noneMatch(except -> inCidr(target, (String) except))) {
                return true;
            }
        }
        return false;
    }

    private static boolean inCidr(java.net.InetAddress address, String cidr) {
        try {
            String[] parts = cidr.split("/");
            byte[] network = java.net.InetAddress.getByName(parts[0]).getAddress();
            byte[] bytes = address.getAddress();
            if (network.length != bytes.length) {
                return false;
            }
            int bits = Integer.parseInt(parts[1]);
            java.math.BigInteger mask = bits == 0 ? java.math.BigInteger.ZERO
                    : java.math.BigInteger.ONE.shiftLeft(bits).subtract(java.math.BigInteger.ONE).shiftLeft(bytes.length * 8 - bits);
            return new java.math.BigInteger(1, bytes).and(mask).equals(new java.math.BigInteger(1, network).and(mask));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(cidr, e);
        }
    }

    private static Set<String> portNames(Map<String, Object> service) {
        Set<String> names = new HashSet<>();
        maps(path(service, "spec"), "ports").forEach(port -> names.add((String) port.get("name")));
        return names;
    }

    private static Set<String> ingressPorts(Rendering rendering) {
        Set<String> ports = new HashSet<>();
        for (Map<String, Object> rule : maps(path(rendering.get("NetworkPolicy", "tether-gateway-mqtt").object(), "spec"), "ingress")) {
            maps(rule, "ports").forEach(port -> ports.add(String.valueOf(port.get("port"))));
        }
        return ports;
    }
}
