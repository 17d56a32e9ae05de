package io.tether.push.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.runtime.kafka.TopicLayout;
import io.tether.runtime.kafka.TopicProvisioner;
import io.tether.push.pipeline.PushTopics;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** What the push-service ITs share: their topics, random ids, and tidying up. */
public final class ItSupport {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ItSupport() {
    }

    /** The three topics, with two partitions each, on the broker. */
    public static void provision(String bootstrap, PushTopics topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, new TopicLayout(2, (short) 1, 1)).ensure(topics.push(), topics.receipts(), topics.deadLetters());
        }
    }

    /** Closes each (null ones skipped), reporting rather than throwing what fails. */
    public static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                System.err.println("closing " + resource + ": " + e);
            }
        }
    }

    public static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    public static <T> T only(List<T> items) {
        assertEquals(1, items.size(), "exactly one: " + items);
        return items.get(0);
    }
}
