package io.tether.runtime.quarkus;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every meter of a service carries {@code application=<quarkus.application.name>} (e.g. {@code tether-fanout-service}),
 * the name Quarkus gives its spans as {@code service.name}. Grafana's link from a span to its service's metrics
 * (deploy/grafana, Tempo's tracesToMetrics) matches on it. The scrape's own labels cannot serve: the ServiceMonitor's
 * {@code job} and {@code service} are Kubernetes Service names, which depend on the Helm release and, for the gateway,
 * name its {@code -http} Service; plain manifests (k8s/) leave the scrape config, and so those labels, to the operator.
 */
@ApplicationScoped
public class MetricsProducers {
    /** The label the Grafana data source maps a span's {@code service.name} to. */
    public static final String APPLICATION_TAG = "application";

    /** Quarkus applies MeterFilter beans to each registry it creates, so the tag reaches Tether's meters and its own. */
    @Produces
    @Singleton
    MeterFilter applicationTag(@ConfigProperty(name = "quarkus.application.name") String application) {
        return MeterFilter.commonTags(Tags.of(APPLICATION_TAG, application));
    }
}
