package io.tether.fanout.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tether.contract.RedisKeys;
import io.tether.contract.Target;
import io.tether.fanout.intake.OutgoingMessage;
import io.tether.testkit.RedisFixture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Message records against a real Redis: what a message keeps, and that its statuses read back for every device. */
class StatusStoreIT {
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static StatefulRedisConnection<String, String> connection;
    private static RedisAsyncCommands<String, String> redis;

    private final StatusStore store = new StatusStore(redis, 3600, 7200, 600);

    @BeforeAll
    static void start() {
        connection = REDIS.connect();
        redis = connection.async();
    }

    private static OutgoingMessage message(String id, Target target) {
        long now = System.currentTimeMillis();
        return new OutgoingMessage(id, target, "hi".getBytes(StandardCharsets.UTF_8), null, null, now, now + 60_000, null,
                null, null);
    }

    private static String unique(String name) {
        return name + System.nanoTime();
    }

    private void accept(OutgoingMessage message, List<String> devices) throws Exception {
        store.accept(message, devices, new StatusStore.Sender("ak_test", Set.of(), null)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** What the route script writes for a queued message. */
    private static void queued(String device, String messageId) throws Exception {
        redis.hset(RedisKeys.device(device).status(messageId), Map.of("status", "queued", "route", "inbox", "attempts", "0"))
                .get(5, TimeUnit.SECONDS);
    }

    private MessageStatus read(String messageId) throws Exception {
        return store.read(messageId, app -> true, false, "ak_test").toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow();
    }

    private static List<String> statusesByDevice(MessageStatus status) {
        return status.devices().stream().map(d -> d.deviceId() + "=" + d.status()).sorted().toList();
    }

    @Test
    void aMessageToOneDeviceKeepsNoDeviceSetAndItsStatusListsThatDevice() throws Exception {
        String id = unique("msg_one");
        String device = unique("dev");
        accept(message(id, Target.device(device)), List.of(device));
        queued(device, id);

        assertEquals(0L, redis.exists(RedisKeys.messageDevices(id)).get(5, TimeUnit.SECONDS));
        assertEquals(List.of(device + "=queued"), statusesByDevice(read(id)));
    }

    @Test
    void aMessageToSeveralDevicesListsEachOfThem() throws Exception {
        String id = unique("msg_many");
        String a = unique("deva");
        String b = unique("devb");
        accept(message(id, new Target(null, List.of(a, b), null, null)), List.of(a, b));
        queued(a, id);
        queued(b, id);

        assertEquals(2L, redis.scard(RedisKeys.messageDevices(id)).get(5, TimeUnit.SECONDS));
        assertEquals(List.of(a + "=queued", b + "=queued").stream().sorted().toList(), statusesByDevice(read(id)));
    }

    /** Records written before one-device messages stopped keeping a device set (a rolling upgrade) read the same. */
    @Test
    void aMessageToOneDeviceRecordedWithItsDeviceSetListsTheDeviceOnce() throws Exception {
        String id = unique("msg_old");
        String device = unique("dev");
        accept(message(id, Target.device(device)), List.of(device));
        redis.sadd(RedisKeys.messageDevices(id), device).get(5, TimeUnit.SECONDS);
        queued(device, id);

        assertEquals(List.of(device + "=queued"), statusesByDevice(read(id)));
    }

    private StatusStore.Recorded acceptKeyed(OutgoingMessage message, String fingerprint, String holder) throws Exception {
        return store.accept(message, List.of(), new StatusStore.Sender("ak_test", Set.of(), fingerprint), holder).toCompletableFuture()
                .get(5, TimeUnit.SECONDS).recorded();
    }

    @Test
    void aKeyLimitedToAppsSeesItsOwnTopicMessageBeforeItIsExpandedButNotAnotherKeysMessage() throws Exception {
        String id = unique("msg_topic");
        OutgoingMessage topic = message(id, new Target(null, null, null, "news/sports"));
        store.accept(topic, List.of(), new StatusStore.Sender("ak_team", Set.of("com.example.team"), null))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        var own = store.read(id, "com.example.team"::equals, true, "ak_team").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), own.orElseThrow().devices(), "its own message, not expanded yet: no devices, not 404");
        var other = store.read(id, "com.example.team"::equals, true, "ak_other").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(other.isEmpty(), "another limited key's message with none of its devices does not exist for it");
    }

    private static void await(java.util.concurrent.CompletionStage<Void> stage) throws Exception {
        stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRequestWithTheKeyOfOneInHandIsToldToWaitThenAnsweredAsSentOrSendsItAfterAFailure() throws Exception {
        OutgoingMessage message = message(unique("msg_key_"), Target.device(unique("dev-key-")));
        assertEquals(StatusStore.Recorded.NEW, acceptKeyed(message, "fp", "first"));
        assertEquals(StatusStore.Recorded.BUSY, acceptKeyed(message, "fp", "second"), "the first request still has it in hand");
        assertEquals(StatusStore.Recorded.CONFLICT, acceptKeyed(message, "other body", "third"));

        await(store.release(message.messageId(), "second")); // a request that never held the key lets go of nothing
        assertEquals(StatusStore.Recorded.BUSY, acceptKeyed(message, "fp", "fourth"));

        await(store.release(message.messageId(), "first")); // the first request failed (e.g. Kafka away)
        assertEquals(StatusStore.Recorded.REPLAY, acceptKeyed(message, "fp", "fifth"), "a retry sends it, and now has it in hand");
        assertEquals(StatusStore.Recorded.BUSY, acceptKeyed(message, "fp", "sixth"));

        await(store.markSent(message.messageId()));
        assertEquals(StatusStore.Recorded.SENT, acceptKeyed(message, "fp", "seventh"));
    }

    @Test
    void aRecordTakenBackIsNotWrittenAgainWhenAConcurrentSendMarksItSent() throws Exception {
        OutgoingMessage message = message(unique("msg_gone_"), Target.device(unique("dev-gone-")));
        assertEquals(StatusStore.Recorded.NEW, acceptKeyed(message, "fp", "first"));
        await(store.forget(message.messageId()));

        await(store.markSent(message.messageId()));

        assertEquals(0L, redis.exists(RedisKeys.message(message.messageId())).get(5, TimeUnit.SECONDS),
                "no record without its fields and TTL");
    }
}
