package io.tether.chaos.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** startAll with stand-in apps: its thread cap, its order, and what it does when one app fails to start. */
class AppDeviceTest {

    /** An app that only remembers whether it was closed; {@code closeFails} makes its close throw. */
    private static final class Fake implements AppDevice {
        private final String id;
        private final RuntimeException closeFails;
        volatile boolean closed;

        Fake(String id, RuntimeException closeFails) {
            this.id = id;
            this.closeFails = closeFails;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String connectedTo() {
            return null;
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public boolean publish(String topic, byte[] payload, Duration timeout) {
            return false;
        }

        @Override
        public void close() {
            closed = true;
            if (closeFails != null) {
                throw closeFails;
            }
        }
    }

    @Test
    void manyAppsStartOnAtMostTheCappedNumberOfThreadsAndComeBackInOrder() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        List<Supplier<AppDevice>> starts = IntStream.range(0, 500).<Supplier<AppDevice>>mapToObj(i -> () -> {
            threads.add(Thread.currentThread());
            return new Fake("app-" + i, null);
        }).toList();

        List<AppDevice> started = AppDevice.startAll(starts);

        assertEquals(IntStream.range(0, 500).mapToObj(i -> "app-" + i).toList(), started.stream().map(AppDevice::id).toList());
        assertTrue(threads.size() <= AppDevice.STARTING_AT_ONCE, threads.size() + " threads");
    }

    @Test
    void aFailedStartClosesTheOthersAndKeepsAFailedCloseAsSuppressed() {
        IllegalStateException closeFailure = new IllegalStateException("close failed");
        IllegalStateException startFailure = new IllegalStateException("no gateway answered");
        Fake failsToClose = new Fake("a", closeFailure);
        Fake closes = new Fake("c", null);

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> AppDevice.startAll(List.of(
                () -> failsToClose,
                () -> {
                    throw startFailure;
                },
                () -> closes)));

        assertSame(startFailure, thrown);
        assertEquals(List.of(closeFailure), List.of(thrown.getSuppressed()));
        assertTrue(failsToClose.closed && closes.closed, "both started apps closed, the second despite the first's failure");
    }
}
