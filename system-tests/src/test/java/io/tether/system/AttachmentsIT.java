package io.tether.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tether.attachments.AttachmentCheck;
import io.tether.attachments.storage.AttachmentStore;
import io.tether.contract.attachment.DownloadDescriptor;
import io.tether.testkit.S3Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Large attachments end to end, every part real: a 100 MB body uploaded by REST (streamed into the S3 server), its
 * signed descriptor delivered live over MQTT, in a suspended device's push and through the HTTPS fetch, the body
 * downloaded by its signed URL with an interrupted transfer resumed by Range, and the signature checked with plain JDK
 * crypto against the published JWKS. Tampered files and descriptors, expired URLs are refused with clear errors.
 */
class AttachmentsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final long SIZE = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TetherStack stack;
    private static Api api;
    private static DeviceHttps https;
    private static String jwks;
    private static String attachmentId;
    private static String sha256;

    @BeforeAll
    static void uploadOnce() throws Exception {
        stack = TetherStack.shared();
        api = new Api(stack);
        https = new DeviceHttps(stack);
        HttpResponse<String> keys = https.get("/.well-known/jwks.json", null);
        assertEquals(200, keys.statusCode());
        jwks = keys.body();

        // Streamed without a Content-Length (chunked), from a generator: neither side holds the body in memory.
        HttpResponse<String> uploaded = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.fanoutUrl() + "/v1/attachments?name=video.bin"))
                .header("Authorization", "Bearer " + TetherStack.API_KEY).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(SIZE))).timeout(Duration.ofMinutes(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        // The JDK client asks to upgrade to h2c; fanout declines (an upgrade request's body cannot be flow-controlled).
        assertEquals(HttpClient.Version.HTTP_1_1, uploaded.version());
        JsonNode body = JSON.readTree(uploaded.body());
        attachmentId = body.get("attachmentId").asText();
        sha256 = Generated.sha256(SIZE);
        assertEquals(SIZE, body.get("size").asLong());
        assertEquals(sha256, body.get("sha256").asText());
    }

    @AfterAll
    static void done() {
        // nothing: the stack is shared by the JVM's tests
    }

    private static String sendWithAttachment(String deviceId, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("to", Map.of("device", deviceId),
                "payload", Map.of("text", "a video from Bob"), "attachment", Map.of("id", attachmentId)));
        body.putAll(extra);
        return api.send(body);
    }

    /** Verifies a descriptor the way a device does: signature against the JWKS, the message, and gives its claims. */
    private static DownloadDescriptor verified(String descriptor, String messageId) throws AttachmentCheck.Refused {
        DownloadDescriptor claims = AttachmentCheck.descriptor(descriptor, jwks);
        AttachmentCheck.sameMessage(claims, messageId);
        assertEquals(SIZE, claims.size());
        assertEquals(sha256, claims.sha256());
        assertEquals("video.bin", claims.name());
        assertTrue(claims.url().startsWith(stack.deviceUrl() + "/v1/downloads/"), claims.url());
        return claims;
    }

    @Test
    void aLiveDeviceGetsTheSignedDescriptorOverMqttAndDownloadsTheBodyResumingAnInterruptedTransfer() throws Exception {
        Api.Device device = api.register("ios");
        try (TestDevice phone = TestDevice.connect(device, stack.gateway().mqttPort())) {
            await().atMost(DEADLINE).until(() -> "1".equals(stack.presence(device.id()).get("receiving")));
            String messageId = sendWithAttachment(device.id(), Map.of());
            Mqtt5Publish publish = phone.next(DEADLINE).orElseThrow();
            assertEquals("application/vnd.tether.attachment+json", publish.getContentType().orElseThrow().toString());
            JsonNode document = JSON.readTree(TestDevice.text(publish));
            assertEquals("a video from Bob", document.get("payload").get("text").asText(), "the backend's own payload travels along");
            DownloadDescriptor descriptor = verified(document.get("attachment").asText(), messageId);

            // The transfer breaks after 30 MB (the app was suspended, the network changed) ...
            long cut = 30L * 1024 * 1024;
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            HttpResponse<InputStream> first = https.download(descriptor.url(), null, null);
            assertEquals(200, first.statusCode());
            assertEquals(Long.toString(SIZE), first.headers().firstValue("Content-Length").orElse(""));
            assertEquals("bytes", first.headers().firstValue("Accept-Ranges").orElse(""));
            String etag = first.headers().firstValue("ETag").orElseThrow();
            try (InputStream in = first.body()) {
                assertEquals(cut, copy(in, digest, cut));
            }
            // ... and resumes where it stopped, as URLSession does with its resume data (Range + If-Range).
            HttpResponse<InputStream> rest = https.download(descriptor.url(), "bytes=" + cut + "-", etag);
            assertEquals(206, rest.statusCode());
            assertEquals("bytes " + cut + "-" + (SIZE - 1) + "/" + SIZE, rest.headers().firstValue("Content-Range").orElse(""));
            long restBytes;
            try (InputStream in = rest.body()) {
                restBytes = copy(in, digest, Long.MAX_VALUE);
            }
            AttachmentCheck.file(descriptor, cut + restBytes, HexFormat.of().formatHex(digest.digest()));
            await().atMost(DEADLINE).until(() -> "delivered".equals(api.status(messageId, device.id())));
        }
    }

    @Test
    void aSuspendedDeviceGetsTheDescriptorInItsPushAndThroughTheFetch() throws Exception {
        Api.Device device = api.registerWithPushToken("ios"); // never connected: offline
        String messageId = sendWithAttachment(device.id(), Map.of("push", Map.of("alert", Map.of("title", "Bob", "body", "sent a video"),
                "mutableContent", true)));
        await().atMost(DEADLINE).until(() -> stack.apnsReceived().stream().anyMatch(n -> String.valueOf(n.get("payload")).contains(messageId)));
        Map<String, Object> notification = stack.apnsReceived().stream()
                .filter(n -> String.valueOf(n.get("payload")).contains(messageId)).findFirst().orElseThrow();
        JsonNode tether = JSON.valueToTree(notification.get("payload")).get("tether");
        verified(tether.get("attachment").asText(), messageId);

        HttpResponse<String> fetched = https.get("/v1/devices/" + device.id() + "/messages", DeviceHttps.basic(device));
        assertEquals(200, fetched.statusCode(), fetched.body());
        JsonNode message = JSON.readTree(fetched.body()).get("messages").get(0);
        assertEquals(messageId, message.get("messageId").asText());
        verified(message.get("attachment").asText(), messageId);
    }

    @Test
    void aTamperedFileATamperedDescriptorAndAnotherMessagesDescriptorAreRefused() throws Exception {
        Api.Device device = api.register("ios");
        String messageId = sendWithAttachment(device.id(), Map.of());
        await().atMost(DEADLINE).until(() -> "queued".equals(api.status(messageId, device.id())));
        String descriptor = JSON.readTree(https.get("/v1/devices/" + device.id() + "/messages", DeviceHttps.basic(device)).body())
                .get("messages").get(0).get("attachment").asText();
        DownloadDescriptor claims = verified(descriptor, messageId);

        AttachmentCheck.Refused file = assertThrows(AttachmentCheck.Refused.class,
                () -> AttachmentCheck.file(claims, SIZE, "00" + sha256.substring(2)));
        assertTrue(file.getMessage().contains("SHA-256"), file.getMessage());

        String[] parts = descriptor.split("\\.");
        JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload).put("url", "https://evil.example.com/video.bin");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(payload)) + "." + parts[2];
        AttachmentCheck.Refused forged = assertThrows(AttachmentCheck.Refused.class, () -> AttachmentCheck.descriptor(tampered, jwks));
        assertTrue(forged.getMessage().contains("signature does not match"), forged.getMessage());

        AttachmentCheck.Refused replayed = assertThrows(AttachmentCheck.Refused.class, () -> AttachmentCheck.sameMessage(claims, "msg_other"));
        assertTrue(replayed.getMessage().contains("belongs to message"), replayed.getMessage());

        // A download URL whose token was altered is refused by the endpoint itself.
        String url = claims.url();
        HttpResponse<String> altered = https.fetchString(url.substring(0, url.length() - 4) + (url.endsWith("AAAA") ? "BBBB" : "AAAA"));
        assertEquals(403, altered.statusCode());
        assertEquals("urn:tether:problem:invalid-download-url", JSON.readTree(altered.body()).get("type").asText());
    }

    @Test
    void anExpiredUrlIsRefusedAndTheBodyIsDeletedAfterTheMessagesTtl() throws Exception {
        HttpResponse<String> small = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.fanoutUrl() + "/v1/attachments"))
                .header("Authorization", "Bearer " + TetherStack.API_KEY).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("short-lived")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, small.statusCode(), small.body());
        String id = JSON.readTree(small.body()).get("attachmentId").asText();
        Api.Device device = api.register("ios");
        String messageId = api.send(Map.of("to", Map.of("device", device.id()), "attachment", Map.of("id", id), "ttl", 5));
        await().atMost(DEADLINE).until(() -> "queued".equals(api.status(messageId, device.id())));
        String descriptor = JSON.readTree(https.get("/v1/devices/" + device.id() + "/messages", DeviceHttps.basic(device)).body())
                .get("messages").get(0).get("attachment").asText();
        DownloadDescriptor claims = AttachmentCheck.descriptor(descriptor, jwks);
        assertEquals("short-lived", https.fetchString(claims.url()).body());

        await().atMost(DEADLINE).until(() -> System.currentTimeMillis() > claims.expiresAt());
        HttpResponse<String> expired = https.fetchString(claims.url());
        assertEquals(410, expired.statusCode());
        assertEquals("urn:tether:problem:download-expired", JSON.readTree(expired.body()).get("type").asText());

        try (AttachmentStore store = AttachmentStore.create(Optional.of(URI.create(stack.s3().endpoint())), S3Server.REGION,
                TetherStack.BUCKET, true, Optional.of(S3Server.ACCESS_KEY_ID), Optional.of(S3Server.SECRET_ACCESS_KEY), 8 << 20)) {
            await().atMost(DEADLINE).until(() -> !store.exists(id).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aHostedBodyMustBeHttpsByDnsName() throws Exception {
        Api.Device device = api.register("ios");
        HttpResponse<String> byIp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.fanoutUrl() + "/v1/messages"))
                .header("Authorization", "Bearer " + TetherStack.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("to", Map.of("device", device.id()),
                        "attachment", Map.of("url", "https://203.0.113.7/video.mp4", "size", 10, "sha256", sha256))))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, byIp.statusCode());
        assertTrue(byIp.body().contains("DNS name"), byIp.body());

        String messageId = api.send(Map.of("to", Map.of("device", device.id()),
                "attachment", Map.of("url", "https://cdn.example.com/video.mp4", "size", 10, "sha256", sha256, "contentType", "video/mp4")));
        await().atMost(DEADLINE).until(() -> "queued".equals(api.status(messageId, device.id())));
        String descriptor = JSON.readTree(https.get("/v1/devices/" + device.id() + "/messages", DeviceHttps.basic(device)).body())
                .get("messages").get(0).get("attachment").asText();
        DownloadDescriptor claims = AttachmentCheck.descriptor(descriptor, jwks);
        assertEquals("https://cdn.example.com/video.mp4", claims.url());
        assertEquals("video/mp4", claims.contentType());
        assertNotNull(claims.sha256());
    }

    private static long copy(InputStream in, MessageDigest digest, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while (total < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total));
            if (n < 0) {
                break;
            }
            digest.update(buffer, 0, n);
            total += n;
        }
        return total;
    }

    /** A deterministic body of any size, made on the fly (byte i is a function of i), so nothing holds it in memory. */
    static final class Generated extends InputStream {
        private final long size;
        private long position;

        Generated(long size) {
            this.size = size;
        }

        static byte at(long i) {
            return (byte) ((i * 31 + (i >>> 8) * 7 + (i >>> 20)) & 0xff);
        }

        @Override
        public int read() {
            return position < size ? at(position++) & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = at(position++);
            }
            return n;
        }

        static String sha256(long size) {
            try (InputStream in = new Generated(size)) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
                return HexFormat.of().formatHex(digest.digest());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
