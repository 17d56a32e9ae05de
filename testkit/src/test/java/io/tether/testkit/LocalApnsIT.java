package io.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalApnsIT {
    private static final String TOKEN = "a".repeat(64);

    @TempDir
    Path dir;

    @Test
    void acceptsAndRecordsAWellFormedTokenAndRejectsOthersOverRealTls() throws Exception {
        Path record = dir.resolve("received.jsonl");
        try (LocalApns apns = LocalApns.start(dir.resolve("apns"), Ports.free(), record)) {
            ApnsClient client = new ApnsClientBuilder()
                    .setApnsServer("127.0.0.1", apns.port())
                    .setTrustedServerCertificateChain(apns.certificatePath().toFile())
                    .setSigningKey(signingKey())
                    .build();
            try {
                PushNotificationResponse<SimpleApnsPushNotification> accepted = client.sendNotification(
                        new SimpleApnsPushNotification(TOKEN, "io.tether.demo", "{\"aps\":{\"alert\":\"hi\"}}",
                                null, DeliveryPriority.IMMEDIATE, PushType.ALERT, "c1")).get(20, TimeUnit.SECONDS);
                PushNotificationResponse<SimpleApnsPushNotification> rejected = client.sendNotification(
                        new SimpleApnsPushNotification("not-a-token", "io.tether.demo", "{}")).get(20, TimeUnit.SECONDS);

                assertTrue(accepted.isAccepted(), () -> "rejected: " + accepted.getRejectionReason());
                assertFalse(rejected.isAccepted());
                assertEquals("BadDeviceToken", rejected.getRejectionReason().orElse(null));
            } finally {
                client.close().get(10, TimeUnit.SECONDS);
            }
        }

        List<String> lines = Files.readAllLines(record);
        assertEquals(1, lines.size());
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertEquals(TOKEN, line.get("token").asText());
        assertEquals("io.tether.demo", line.get("topic").asText());
        assertEquals("alert", line.get("pushType").asText());
        assertEquals(10, line.get("priority").asInt());
        assertEquals("c1", line.get("collapseId").asText());
        assertEquals("hi", line.at("/payload/aps/alert").asText());
        assertTrue(line.hasNonNull("receivedAt"));
    }

    @Test
    void tellsItsListenerOfEachAcceptedNotificationWithTheToken() throws Exception {
        List<String> accepted = new CopyOnWriteArrayList<>();
        LocalApns.Listener listener = (token, headers, payload) ->
                accepted.add(token + " " + payload.toString(StandardCharsets.UTF_8));
        try (LocalApns apns = LocalApns.start(dir.resolve("apns"), Ports.free(), listener)) {
            ApnsClient client = new ApnsClientBuilder()
                    .setApnsServer("127.0.0.1", apns.port())
                    .setTrustedServerCertificateChain(apns.certificatePath().toFile())
                    .setSigningKey(ApnsSigningKey.loadFromPkcs8File(LocalApns.signingKey(dir.resolve("key")).toFile(),
                            LocalApns.TEAM_ID, LocalApns.KEY_ID))
                    .build();
            try {
                PushNotificationResponse<SimpleApnsPushNotification> response = client.sendNotification(
                        new SimpleApnsPushNotification(TOKEN, "io.tether.demo", "{\"aps\":{\"alert\":\"hi\"}}"))
                        .get(20, TimeUnit.SECONDS);
                assertTrue(response.isAccepted(), () -> "rejected: " + response.getRejectionReason());
            } finally {
                client.close().get(10, TimeUnit.SECONDS);
            }
            assertEquals(List.of(TOKEN + " {\"aps\":{\"alert\":\"hi\"}}"), accepted);
            assertEquals(null, apns.recordFile());
        }
    }

    private static ApnsSigningKey signingKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return new ApnsSigningKey("KEYID12345", "TEAMID1234", (ECPrivateKey) generator.generateKeyPair().getPrivate());
    }
}
