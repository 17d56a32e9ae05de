package io.tether.gateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.contract.TetherEvent;
import io.tether.gateway.metrics.GatewayMetrics;
import io.tether.gateway.testing.FakeInbox;
import io.tether.inbox.Pump;
import io.tether.runtime.failure.Backoff;
import io.tether.runtime.failure.Retry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AcknowledgementsTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final FakeInbox inbox = new FakeInbox();
    private final List<TetherEvent> events = new CopyOnWriteArrayList<>();
    private final Acknowledgements acknowledgements = new Acknowledgements(inbox, "gw-test",
            new Retry(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), () -> 0.5), scheduler),
            new GatewayMetrics(new SimpleMeterRegistry()), events::add);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aResyncAnswersHowManyWentOutAndReportsEachEntryItFoundExpired() {
        inbox.resynced = new Pump.Live(2, 1, List.of("old"));

        int handedOver = acknowledgements.resync("dev-1", 7).toCompletableFuture().join();

        assertEquals(2, handedOver);
        assertEquals(List.of("resync dev-1 7"), inbox.calls);
        assertEquals(1, events.size());
        TetherEvent.Data data = events.get(0).data();
        assertEquals(List.of("dev-1", "old", "expired", "ttl"), List.of(data.deviceId(), data.messageId(), data.status(), data.reason()));
    }
}
