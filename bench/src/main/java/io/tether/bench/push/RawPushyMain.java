package io.tether.bench.push;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import com.sun.management.OperatingSystemMXBean;
import io.netty.channel.nio.NioEventLoopGroup;
import io.tether.bench.measure.JitWarmup;
import io.tether.bench.measure.ProcessStats;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw Pushy, the baseline push-service is held to, as a JVM of its own with push-service's JVM options (so that both
 * get the same JIT and heap): the same signing key, connections, event loop threads and in-flight bound as
 * push-service's defaults, driving the same mock. It warms up in parts of {@code warm} unmeasured notifications (ids
 * {@code rw-<n>}) under the warm-up rule push-service is warmed with ({@link JitWarmup}, its own JIT compiler threads
 * measured), then sends {@code count} measured ones ({@code raw-<n>}), waiting for every answer, and prints one line:
 * {@code RESULT cpu_ns=<its CPU time during the measured part> jit_ns=<of which its JIT threads> rejected=<n>
 * warm_s=<warm-up seconds> warm_jit=<JIT cores in its last part>}. The mock counts acceptances and rates.
 *
 * <pre>
 * RawPushyMain host port certificate.pem key.p8 teamId keyId topic tokens.txt warm count connections inFlight threads
 *              warmupMinMillis warmupMaxFactor warmupCompiledCores
 * </pre>
 */
public final class RawPushyMain {
    /** The custom data of each notification: 64 bytes, as in the push requests push-service gets. */
    private static final String DATA = "throughput" + ".".repeat(54);

    private RawPushyMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 16) {
            System.err.println("usage: RawPushyMain host port certificate key teamId keyId topic tokens warm count connections "
                    + "inFlight threads warmupMinMillis warmupMaxFactor warmupCompiledCores");
            System.exit(2);
        }
        List<String> tokens = Files.readAllLines(Path.of(args[7])).stream().filter(t -> !t.isBlank()).toList();
        int warm = Integer.parseInt(args[8]);
        int count = Integer.parseInt(args[9]);
        int inFlight = Integer.parseInt(args[11]);
        JitWarmup rule = JitWarmup.fromArgs(args[13], args[14], args[15]);
        long self = ProcessHandle.current().pid();
        NioEventLoopGroup loops = new NioEventLoopGroup(Integer.parseInt(args[12]));
        ApnsClient client = new ApnsClientBuilder().setApnsServer(args[0], Integer.parseInt(args[1]))
                .setTrustedServerCertificateChain(new File(args[2]))
                .setSigningKey(ApnsSigningKey.loadFromPkcs8File(new File(args[3]), args[4], args[5]))
                .setConcurrentConnections(Integer.parseInt(args[10])).setEventLoopGroup(loops).build();
        AtomicLong rejected = new AtomicLong();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try {
            long t0 = System.nanoTime();
            double jitCores;
            int part = 0;
            do {
                double jit0 = ProcessStats.jitAndGcSeconds(self)[0];
                long p0 = System.nanoTime();
                send(client, args[6], tokens, "rw", part++ * warm, warm, inFlight, rejected);
                jitCores = (ProcessStats.jitAndGcSeconds(self)[0] - jit0) / ((System.nanoTime() - p0) / 1e9);
            } while (rule.keepWarming(System.nanoTime() - t0, jitCores));
            double warmSeconds = (System.nanoTime() - t0) / 1e9;
            long cpu0 = os.getProcessCpuTime();
            double jit0 = ProcessStats.jitAndGcSeconds(self)[0];
            send(client, args[6], tokens, "raw", 0, count, inFlight, rejected);
            long cpu = os.getProcessCpuTime() - cpu0;
            long jit = (long) ((ProcessStats.jitAndGcSeconds(self)[0] - jit0) * 1e9);
            System.out.printf(Locale.ROOT, "RESULT cpu_ns=%d jit_ns=%d rejected=%d warm_s=%.1f warm_jit=%.3f%n", cpu, jit,
                    rejected.get(), warmSeconds, jitCores);
        } finally {
            client.close().get(10, TimeUnit.SECONDS);
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Sends {@code count} notifications round robin over the tokens (ids {@code <prefix>-<first + n>}), at most
     * {@code inFlight} unanswered; returns when all are answered.
     */
    private static void send(ApnsClient client, String topic, List<String> tokens, String prefix, int first, int count,
            int inFlight, AtomicLong rejected) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        Instant expiry = Instant.now().plusSeconds(3600);
        for (int i = 0; i < count; i++) {
            String payload = new SimpleApnsPayloadBuilder().setAlertTitle("Tether bench").setAlertBody("You have a message")
                    .setSound("default").addCustomProperty("tether", Map.of("messageId", prefix + "-" + (first + i), "data", DATA))
                    .build();
            permits.acquire();
            client.sendNotification(new SimpleApnsPushNotification(tokens.get((first + i) % tokens.size()), topic, payload, expiry,
                    DeliveryPriority.IMMEDIATE, PushType.ALERT)).whenComplete((response, error) -> {
                        permits.release();
                        if (error != null || !response.isAccepted()) {
                            rejected.incrementAndGet();
                        }
                    });
        }
        if (!permits.tryAcquire(inFlight, 5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("raw Pushy: notifications unanswered after 5 minutes");
        }
    }
}
