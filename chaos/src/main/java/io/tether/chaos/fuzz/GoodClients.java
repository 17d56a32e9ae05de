package io.tether.chaos.fuzz;

import io.tether.chaos.device.AppDevice;
import io.tether.chaos.device.Credentials;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Well-behaved devices that go on publishing (QoS 1, one at a time, every 200 ms each) while the fuzzer runs; each
 * PUBLISH must get its PUBACK within 10 s. Their downstream messages are sent and counted by the run's Sender.
 */
public final class GoodClients implements AutoCloseable {
    private static final Duration PUBACK_TIMEOUT = Duration.ofSeconds(10);
    private static final long PERIOD_NANOS = Duration.ofMillis(200).toNanos();

    private final List<AppDevice> apps;
    private final ExecutorService publishers;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private GoodClients(List<AppDevice> apps) {
        this.apps = apps;
        this.publishers = Executors.newFixedThreadPool(apps.size(), r -> {
            Thread thread = new Thread(r, "chaos-good-client");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Connects every device (alternately MQTT 5 and 3.1.1) and starts publishing. */
    public static GoodClients start(List<Credentials> devices, String uri, AppDevice.Listener listener) {
        List<java.util.function.Supplier<AppDevice>> starts = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            Credentials device = devices.get(i);
            boolean mqtt5 = i % 2 == 0;
            starts.add(() -> AppDevice.start(mqtt5, device, List.of(uri), listener, Duration.ofSeconds(30)));
        }
        List<AppDevice> apps = AppDevice.startAll(starts);
        GoodClients clients = new GoodClients(apps);
        apps.forEach(app -> clients.publishers.submit(() -> clients.publishLoop(app)));
        return clients;
    }

    private void publishLoop(AppDevice app) {
        String topic = "devices/" + app.id() + "/telemetry";
        long next = System.nanoTime();
        long n = 0;
        while (running.get()) {
            boolean ok = app.publish(topic, ("good " + n++).getBytes(StandardCharsets.UTF_8), PUBACK_TIMEOUT);
            (ok ? acked : failed).incrementAndGet();
            next += PERIOD_NANOS;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait); // the publishing pace
            } else {
                next = System.nanoTime();
            }
        }
    }

    public List<String> ids() {
        return apps.stream().map(AppDevice::id).toList();
    }

    public long acked() {
        return acked.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Stops publishing (the publish in hand finishes), then disconnects. */
    public void stopPublishing() {
        running.set(false);
        publishers.shutdown();
        try {
            publishers.awaitTermination(PUBACK_TIMEOUT.toSeconds() + 5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopPublishing();
        apps.forEach(AppDevice::close);
    }
}
