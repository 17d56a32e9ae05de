package io.tether.bench.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * JVM options of every JVM a run starts for Tether (the four services, Kafka) and for raw Pushy, which is compared
 * with push-service and so gets push-service's options. By default what a production deployment would use: G1 and the
 * full tiered JIT (C1 then C2). {@code --jit c1} adds {@code -XX:TieredStopAtLevel=1} to every one of them: the
 * workaround an earlier run used when C2's compile threads starved six JVMs on two cores.
 *
 * @param serviceOptions options of device-registry, fanout-service and push-service (and raw Pushy)
 * @param gatewayOptions options of gateway-mqtt (more heap: it holds every connection)
 * @param kafkaOptions   options of the Kafka broker
 * @param jit     {@code c2} (tiered, the default) or {@code c1}
 * @param jfrDir  where each JVM records a JFR profile, or null for none
 */
public record JvmFlags(String serviceOptions, String gatewayOptions, String kafkaOptions, String jit, Path jfrDir) {
    public static final String SERVICE = "-Xms128m -Xmx1g -XX:+UseG1GC";
    public static final String GATEWAY = "-Xms128m -Xmx2g -XX:+UseG1GC";
    public static final String KAFKA = "-Xms256m -Xmx1g -XX:+UseG1GC";
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    public JvmFlags {
        if (!jit.equals("c1") && !jit.equals("c2")) {
            throw new IllegalArgumentException("--jit is c1 or c2, not " + jit);
        }
    }

    /** Production defaults: tiered C2, no profiling. */
    public static JvmFlags defaults() {
        return new JvmFlags(SERVICE, GATEWAY, KAFKA, "c2", null);
    }

    public JvmFlags withJit(String value) {
        return new JvmFlags(serviceOptions, gatewayOptions, kafkaOptions, value, jfrDir);
    }

    public JvmFlags withJfr(Path dir) {
        return new JvmFlags(serviceOptions, gatewayOptions, kafkaOptions, jit, dir);
    }

    public JvmFlags withService(String value) {
        return new JvmFlags(value, gatewayOptions, kafkaOptions, jit, jfrDir);
    }

    public JvmFlags withGateway(String value) {
        return new JvmFlags(serviceOptions, value, kafkaOptions, jit, jfrDir);
    }

    public JvmFlags withKafka(String value) {
        return new JvmFlags(serviceOptions, gatewayOptions, value, jit, jfrDir);
    }

    /** {@code option} added to every JVM of Tether and to raw Pushy's (services, gateway, Kafka), after their options. */
    public JvmFlags withAdded(String option) {
        return new JvmFlags(serviceOptions + " " + option, gatewayOptions + " " + option, kafkaOptions + " " + option, jit, jfrDir);
    }

    /** Options of a service JVM (or raw Pushy's) called {@code name} (the JFR file's name). */
    public List<String> service(String name) {
        return options(serviceOptions, name);
    }

    public List<String> gateway() {
        return options(gatewayOptions, "gateway-mqtt");
    }

    public List<String> kafka() {
        return options(kafkaOptions, "kafka");
    }

    /** For the report. */
    public String describe() {
        String c1 = jit.equals("c1") ? " " + C1_ONLY : "";
        return "services and raw Pushy: `" + serviceOptions + c1 + "`; gateway: `" + gatewayOptions + c1 + "`; Kafka: `" + kafkaOptions
                + c1 + "` ("
                + (jit.equals("c1") ? "C1 compiler only (--jit c1)" : "full tiered JIT, C1 then C2, as in production") + ")";
    }

    private List<String> options(String base, String name) {
        List<String> out = new ArrayList<>(Arrays.stream(base.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        if (jit.equals("c1")) {
            out.add(C1_ONLY);
        }
        if (jfrDir != null) {
            out.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfrDir.resolve(name + ".jfr"));
        }
        return out;
    }
}
