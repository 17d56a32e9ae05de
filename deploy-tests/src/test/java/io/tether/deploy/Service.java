package io.tether.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The five services as the chart deploys them and as their modules define them. */
enum Service {
    DEVICE_REGISTRY("device-registry", "deviceRegistry"),
    GATEWAY_MQTT("gateway-mqtt", "gatewayMqtt"),
    FANOUT_SERVICE("fanout-service", "fanoutService"),
    PUSH_SERVICE("push-service", "pushService"),
    WEBHOOK_SERVICE("webhook-service", "webhookService");

    /** The Maven module, the chart's component and container name. */
    final String module;
    /** The block of values.yaml. */
    final String valuesKey;

    Service(String module, String valuesKey) {
        this.module = module;
        this.valuesKey = valuesKey;
    }

    /** Objects of the release {@link Chart#RELEASE} are called tether-<module>. */
    String objectName() {
        return Chart.RELEASE + "-" + module;
    }

    static Service ofModule(String module) {
        for (Service service : values()) {
            if (service.module.equals(module)) {
                return service;
            }
        }
        throw new IllegalArgumentException("no service " + module);
    }

    /** The module's src/main/resources/application.properties (the %prod profile: no %dev or %test entries). */
    Properties applicationProperties(Path root) {
        Properties all = new Properties();
        try (Reader reader = Files.newBufferedReader(root.resolve(module).resolve("src/main/resources/application.properties"),
                StandardCharsets.UTF_8)) {
            all.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties prod = new Properties();
        all.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(k -> prod.setProperty(k, all.getProperty(k)));
        all.stringPropertyNames().stream().filter(k -> k.startsWith("%prod.")).forEach(k -> prod.setProperty(k.substring(6), all.getProperty(k)));
        return prod;
    }

    String pom(Path root) {
        try {
            return Files.readString(root.resolve(module).resolve("pom.xml"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the module's pom declares a dependency on this artifact. */
    boolean dependsOn(Path root, String artifactId) {
        return pom(root).contains("<artifactId>" + artifactId + "</artifactId>");
    }

    /** Its own sources, and those of the project modules it depends on that define configuration. */
    List<Path> sourceRoots(Path root) {
        List<Path> roots = new ArrayList<>(List.of(root.resolve(module).resolve("src/main/java")));
        for (String shared : List.of("rest-common", "contract", "runtime", "inbox")) {
            if (dependsOn(root, "tether-" + shared)) {
                roots.add(root.resolve(shared).resolve("src/main/java"));
            }
        }
        return roots;
    }

    /** What the service reads, from its {@code @ConfigMapping} interfaces. */
    ConfigModel config(Path root) {
        return ConfigModel.of(sourceRoots(root));
    }
}
