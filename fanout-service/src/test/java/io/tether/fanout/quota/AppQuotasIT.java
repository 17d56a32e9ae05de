package io.tether.fanout.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.contract.QuotaFields;
import io.tether.contract.RedisKeys;
import io.tether.testkit.RedisFixture;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-app quotas against a real Redis: charges up to the limit, refusals, and nothing charged for a refused message. */
class AppQuotasIT {
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static StatefulRedisConnection<String, String> connection;
    private static RedisAsyncCommands<String, String> redis;

    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private final AppQuotas quotas = new AppQuotas(redis, clock::get, new QuotaMetrics(new SimpleMeterRegistry()));

    @BeforeAll
    static void start() {
        connection = REDIS.connect();
        redis = connection.async();
    }

    private static String app(String name) {
        return "com.example." + name + System.nanoTime();
    }

    private static void setQuota(String app, Map<String, String> limits) throws Exception {
        redis.hset(RedisKeys.appQuota(app), limits).get(5, TimeUnit.SECONDS);
    }

    private Optional<AppQuotas.Refusal> charge(String... apps) throws Exception {
        return quotas.charge(List.of(apps)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aDayQuotaChargesUpToItsLimitThenRefusesUntilTheDayEnds() throws Exception {
        String app = app("daily");
        setQuota(app, Map.of(QuotaFields.MESSAGES_PER_DAY, "2"));
        assertEquals(Optional.empty(), charge(app));
        assertEquals(Optional.empty(), charge(app));
        AppQuotas.Refusal refusal = charge(app).orElseThrow();
        assertEquals(app, refusal.appId());
        assertEquals("day", refusal.quota());
        assertEquals(AppQuotas.secondsToMidnight(clock.get()), refusal.retryAfterSeconds());
    }

    @Test
    void whenOneAppOfAMessageRefusesTheOthersAreChargedNothing() throws Exception {
        String roomy = app("roomy");
        String full = app("full");
        String free = app("free");
        setQuota(roomy, Map.of(QuotaFields.MESSAGES_PER_SECOND, "100"));
        setQuota(full, Map.of(QuotaFields.MESSAGES_PER_SECOND, "0"));
        AppQuotas.Refusal refusal = charge(free, roomy, full).orElseThrow();
        assertEquals(full, refusal.appId());
        assertEquals("second", refusal.quota());
        String counter = redis.get(RedisKeys.appMessagesInSecond(roomy, clock.get() / 1000)).get(5, TimeUnit.SECONDS);
        assertTrue(counter == null || counter.equals("0"), "the roomy app's charge was given back: " + counter);
    }
}
