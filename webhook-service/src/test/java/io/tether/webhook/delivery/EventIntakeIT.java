package io.tether.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.contract.DeviceFields;
import io.tether.contract.Json;
import io.tether.contract.RedisKeys;
import io.tether.contract.TetherEvent;
import io.tether.contract.Topics;
import io.tether.testkit.RedisFixture;
import io.tether.webhook.registry.Webhook;
import io.tether.webhook.registry.WebhookDirectory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which app webhooks take an event, against a real redis-server holding the device records and the queues. */
class EventIntakeIT {
    private static final String APP = "com.example.app";
    private static final Webhook APP_WEBHOOK = new Webhook("wh_app", "https://backend.example.com/events", APP, null,
            List.of(TetherEvent.MESSAGE_STATUS, TetherEvent.DEVICE_PRESENCE), "whsec_x", 1);

    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static RedisAsyncCommands<String, String> redis;
    private static DeliveryQueues queues;
    private static EventIntake intake;
    private long offset;

    @BeforeAll
    static void start() throws Exception {
        StatefulRedisConnection<String, String> connection = REDIS.connect();
        redis = connection.async();
        queues = new DeliveryQueues(redis, 100, 100, 100);
        WebhookDirectory directory = new WebhookDirectory(() -> CompletableFuture.completedFuture(List.of(APP_WEBHOOK)));
        get(directory.refresh());
        intake = new EventIntake(directory, queues, redis, new DeliveryMetrics(new SimpleMeterRegistry()), () -> 0L);
    }

    @BeforeEach
    void clean() throws Exception {
        get(redis.flushall());
    }

    @Test
    void anEventOfADeviceThatExistsGoesToItsAppsWebhooksWithTheApp() throws Exception {
        get(redis.hset(RedisKeys.device("dev-1").record(), DeviceFields.APP_ID, APP));

        handle(TetherEvent.presence("dev-1", "LIVE", "foreground", 10, "gw-a", 7));

        assertEquals(APP, queued("dev-1").data().appId());
    }

    @Test
    void theLastPresenceEventOfADeletedDeviceGoesToItsAppsWebhooksByTheAppItNames() throws Exception {
        TetherEvent last = TetherEvent.presence("dev-2", "OFFLINE", "foreground", 20, "gw-a", 7).withAppId(APP);

        handle(last);

        assertEquals(last, queued("dev-2"), "its record is gone: the app comes with the event");
    }

    @Test
    void anEventOfAnUnknownDeviceThatNamesNoAppGoesNowhere() throws Exception {
        handle(TetherEvent.presence("dev-3", "OFFLINE", "foreground", 30, "gw-a", 7));

        assertTrue(get(queues.head(APP_WEBHOOK.id(), "dev-3")).isEmpty());
    }

    private void handle(TetherEvent event) throws Exception {
        get(intake.handle(new ConsumerRecord<>(Topics.EVENTS, 0, offset++, event.deviceId(), Json.toBytes(event))));
    }

    private static TetherEvent queued(String deviceId) throws Exception {
        Optional<DeliveryQueues.Head> head = get(queues.head(APP_WEBHOOK.id(), deviceId));
        assertTrue(head.isPresent(), "queued for the app's webhook");
        return Json.fromBytes(head.get().entry().body().getBytes(java.nio.charset.StandardCharsets.UTF_8), TetherEvent.class);
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
