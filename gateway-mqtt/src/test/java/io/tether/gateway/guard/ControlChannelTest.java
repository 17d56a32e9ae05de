package io.tether.gateway.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.contract.RedisKeys;
import io.tether.contract.TakeoverNotice;
import io.tether.contract.WillNotice;
import io.tether.gateway.mqtt.Connections;
import io.tether.gateway.mqtt.DeviceAuthenticator;
import io.tether.gateway.testing.FakeStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where the control channel's lines go, and what a subscription that came back does for the wills held here. */
class ControlChannelTest {
    private static final String CONTROL = RedisKeys.controlChannel("gw-test");

    private final FakeStore store = new FakeStore();
    private final SessionAudit audit = new SessionAudit(store, "gw-test", new Connections(store, "gw-test"), Duration.ofDays(30),
            reason -> { });
    private final List<WillNotice> notices = new CopyOnWriteArrayList<>();
    private final AtomicInteger rechecks = new AtomicInteger();
    private final ControlChannel.Listener listener = new ControlChannel.Listener(CONTROL, audit,
            new DeviceAuthenticator(store, Duration.ofMinutes(5)), notices::add, () -> {
                rechecks.incrementAndGet();
                return 1;
            });

    @Test
    void aWillLineSettlesAWillAndOtherLinesDoNot() {
        listener.message(CONTROL, new WillNotice("dev-1", 7, true).format());
        listener.message(CONTROL, new WillNotice("dev-2", 9, false).format());
        listener.message(CONTROL, new TakeoverNotice("dev-1", 8).format());
        listener.message(CONTROL, "will dev-1 7 maybe"); // malformed: dropped with a warning
        listener.message(RedisKeys.credentialChanges(), "dev-1");

        assertEquals(List.of(new WillNotice("dev-1", 7, true), new WillNotice("dev-2", 9, false)), notices);
    }

    @Test
    void everyHeldWillAsksAgainWhenTheSubscriptionComesBackNotAtTheFirstOne() {
        listener.subscribed(RedisKeys.credentialChanges(), 1);
        listener.subscribed(CONTROL, 2); // at start-up
        assertEquals(0, rechecks.get(), "nothing can have been missed before the first subscription");

        listener.subscribed(RedisKeys.credentialChanges(), 1); // Lettuce subscribes again after a reconnect
        listener.subscribed(CONTROL, 2);
        assertEquals(1, rechecks.get(), "a will notice may have been lost meanwhile");
    }

    @Test
    void aStepOfTheResubscribeThatThrowsIsLoggedAndDoesNotStopTheSubscription() {
        AtomicInteger asked = new AtomicInteger();
        ControlChannel.Listener failing = new ControlChannel.Listener(CONTROL, audit, new DeviceAuthenticator(store, Duration.ofMinutes(5)),
                notices::add, () -> {
                    asked.incrementAndGet();
                    throw new IllegalStateException("a bug");
                });
        failing.subscribed(CONTROL, 2);
        failing.subscribed(CONTROL, 2); // must not throw into Lettuce
        failing.subscribed(CONTROL, 2);

        assertEquals(2, asked.get(), "each time it came back");
    }
}
