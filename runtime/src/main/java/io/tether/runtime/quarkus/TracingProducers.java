package io.tether.runtime.quarkus;

import io.opentelemetry.api.OpenTelemetry;
import io.tether.runtime.tracing.MessagingSpans;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Tether's own spans. With the SDK disabled ({@code quarkus.otel.sdk.disabled=true}, the default) Quarkus still
 * hands out an SDK-backed OpenTelemetry whose sampler records every span; Tether's spans then use the no-op API
 * instead, which builds nothing and still passes a {@code traceparent} through unchanged (a no-op span carries its
 * parent's context).
 */
@ApplicationScoped
public class TracingProducers {

    @Produces
    @Singleton
    MessagingSpans spans(Instance<OpenTelemetry> openTelemetry,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean sdkDisabled) {
        boolean on = !sdkDisabled && openTelemetry.isResolvable();
        return new MessagingSpans(on ? openTelemetry.get() : OpenTelemetry.noop());
    }
}
