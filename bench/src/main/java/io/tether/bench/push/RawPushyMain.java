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
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw Pushy, the baseline push-service is held to, as a JVM of its own with push-service's JVM options (so that both
 * get the same JIT and heap): the same signing key, connections, event loop threads and in-flight bound as
 * push-service's defaults, driving the same mock. It sends {@code warm} unmeasured notifications (ids {@code rw-<n>}),
 * then {@code count} measured ones ({@code raw-<n>}), waiting for every answer, and prints one line:
 * {@code RESULT cpu_ns=<its CPU time during the measured part> rejected=<n>}. The mock counts acceptances and rates.
 *
 * <pre>
 * RawPushyMain host port certificate.pem key.p8 teamId keyId topic tokens.txt warm count connections inFlight threads
 * </pre>
 */
public final class RawPushyMain {
    /** The custom data of each notification: 64 bytes, as in the push requests push-service gets. */
    private static final String DATA = "throughput" + ".".repeat(54);

    private RawPushyMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 13) {
            System.err.println("usage: RawPushyMain host port certificate key teamId keyId topic tokens warm count connections "
                    + "inFlight threads");
            System.exit(2);
        }
        List<String> tokens = Files.readAllLines(Path.of(args[7])).stream().filter(t -> !t.isBlank()).toList();
        int warm = Integer.parseInt(args[8]);
        int count = Integer.parseInt(args[9]);
        int inFlight = Integer.parseInt(args[11]);
        NioEventLoopGroup loops = new NioEventLoopGroup(Integer.parseInt(args[12]));
        ApnsClient client = new ApnsClientBuilder().setApnsServer(args[0], Integer.parseInt(args[1]))
                .setTrustedServerCertificateChain(new File(args[2]))
                .setSigningKey(ApnsSigningKey.loadFromPkcs8File(new File(args[3]), args[4], args[5]))
                .setConcurrentConnections(Integer.parseInt(args[10])).setEventLoopGroup(loops).build();
        AtomicLong rejected = new AtomicLong();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try {
            send(client, args[6], tokens, "rw", warm, inFlight, rejected);
            long cpu0 = os.getProcessCpuTime();
            send(client, args[6], tokens, "raw", count, inFlight, rejected);
            long cpu = os.getProcessCpuTime() - cpu0;
            System.out.println("RESULT cpu_ns=" + cpu + " rejected=" + rejected.get());
        } finally {
            client.close().get(10, TimeUnit.SECONDS);
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Sends {@code count} notifications round robin over the tokens, at most {@code inFlight} unanswered; returns when all
     * are answered.
     */
    private static void send(ApnsClient client, String topic, List<String> tokens, String prefix, int count, int inFlight,
            AtomicLong rejected) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        Instant expiry = Instant.now().plusSeconds(3600);
        for (int i = 0; i < count; i++) {
            String payload = new SimpleApnsPayloadBuilder().setAlertTitle("Tether bench").setAlertBody("You have a message")
                    .setSound("default").addCustomProperty("tether", Map.of("messageId", prefix + "-" + i, "data", DATA))
                    .build();
            permits.acquire();
            client.sendNotification(new SimpleApnsPushNotification(tokens.get(i % tokens.size()), topic, payload, expiry,
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
