package io.tether.runtime.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.tether.contract.Headers;
import io.tether.contract.KafkaHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) to and from Kafka record headers and plain strings.
 * It uses the W3C propagator itself rather than the SDK's configured one, so a traceparent travels on (unchanged)
 * even where the SDK is disabled: the no-op tracer's spans carry their parent's context.
 */
public final class TraceContext {
    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
    static final String TRACESTATE = "tracestate";

    private static final TextMapGetter<org.apache.kafka.common.header.Headers> KAFKA_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(org.apache.kafka.common.header.Headers carrier) {
            return List.of(Headers.TRACEPARENT, TRACESTATE);
        }

        @Override
        public String get(org.apache.kafka.common.header.Headers carrier, String key) {
            return carrier == null ? null : KafkaHeaders.get(carrier, key).orElse(null);
        }
    };
    private static final TextMapSetter<org.apache.kafka.common.header.Headers> KAFKA_SETTER = KafkaHeaders::put;

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceContext() {
    }

    /** The context a {@code traceparent} value names, as the remote parent of {@link Context#root()}; root when absent or malformed. */
    public static Context fromTraceparent(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3C.extract(Context.root(), Map.of(Headers.TRACEPARENT, traceparent.trim()), MAP_GETTER);
    }

    /** The {@code traceparent} of the span in {@code context}, or null when it has no valid span context. */
    public static String traceparent(Context context) {
        if (context == null || !Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        W3C.inject(context, out, Map::put);
        return out.get(Headers.TRACEPARENT);
    }

    /** The context in a record's {@code traceparent}/{@code tracestate} headers; root when there is none. */
    public static Context fromHeaders(org.apache.kafka.common.header.Headers headers) {
        return W3C.extract(Context.root(), headers, KAFKA_GETTER);
    }

    /** Writes {@code context} into the headers, replacing any trace context they held; leaves them alone when it has no span. */
    public static void inject(Context context, org.apache.kafka.common.header.Headers headers) {
        if (context == null || !Span.fromContext(context).getSpanContext().isValid()) {
            return;
        }
        headers.remove(TRACESTATE);
        W3C.inject(context, headers, KAFKA_SETTER);
    }

    /** {@code preferred} when it holds a valid span, otherwise the context named by {@code traceparent}. */
    public static Context orTraceparent(Context preferred, String traceparent) {
        if (preferred != null && Span.fromContext(preferred).getSpanContext().isValid()) {
            return preferred;
        }
        return fromTraceparent(traceparent);
    }
}
