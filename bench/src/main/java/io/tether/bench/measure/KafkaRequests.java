package io.tether.bench.measure;

import com.sun.tools.attach.VirtualMachine;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The Kafka broker's request counters ({@code kafka.network:type=RequestMetrics,name=RequestsPerSec}: requests handled
 * so far, by API such as {@code Produce}, {@code Fetch}, {@code OffsetCommit}) and their change over a measured phase.
 * Much of the broker's CPU goes with its requests rather than its records, so this tells what a message costs it. Read over JMX
 * from the broker's JVM, attached to by pid (the JDK's attach API starts its local JMX agent; nothing is configured in
 * the broker). A broker that cannot be read gives empty snapshots, and the report leaves the table out.
 */
public final class KafkaRequests implements AutoCloseable {
    private static final String PATTERN = "kafka.network:type=RequestMetrics,name=RequestsPerSec,*";
    private final JMXConnector connector;

    private KafkaRequests(JMXConnector connector) {
        this.connector = connector;
    }

    /** Attaches to the broker JVM {@code pid}; never fails (a broker it cannot reach reads as empty). */
    public static KafkaRequests attach(long pid) {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            return new KafkaRequests(JMXConnectorFactory.connect(new JMXServiceURL(address)));
        } catch (Exception | LinkageError e) {
            System.err.println("bench: Kafka's request counters cannot be read (JVM " + pid + "): " + e);
            return new KafkaRequests(null);
        }
    }

    /** Requests handled so far by API name, summed over the API's versions; empty when the broker cannot be read. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        if (connector == null) {
            return out;
        }
        try {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            for (ObjectName name : server.queryNames(new ObjectName(PATTERN), null)) {
                Object count = server.getAttribute(name, "Count");
                if (count instanceof Number n) {
                    out.merge(name.getKeyProperty("request"), n.longValue(), Long::sum);
                }
            }
            return out;
        } catch (Exception e) {
            System.err.println("bench: reading Kafka's request counters failed: " + e);
            return new TreeMap<>();
        }
    }

    /** What changed from {@code before} to {@code after}: only APIs that were called, by name. */
    public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        if (before.isEmpty() || after.isEmpty()) {
            return out;
        }
        after.forEach((api, now) -> {
            long calls = now - before.getOrDefault(api, 0L);
            if (calls > 0) {
                out.put(api, calls);
            }
        });
        return out;
    }

    @Override
    public void close() {
        if (connector != null) {
            try {
                connector.close();
            } catch (Exception e) {
                // the broker may be gone already
            }
        }
    }
}
