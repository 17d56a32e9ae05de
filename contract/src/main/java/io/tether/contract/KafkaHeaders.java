package io.tether.contract;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;

/** Reads and writes the UTF-8 string headers of {@link Headers}. */
public final class KafkaHeaders {
    private KafkaHeaders() {
    }

    public static Optional<String> get(org.apache.kafka.common.header.Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    public static String require(org.apache.kafka.common.header.Headers headers, String name) {
        return get(headers, name).orElseThrow(() -> new IllegalArgumentException("missing header " + name));
    }

    public static void put(org.apache.kafka.common.header.Headers headers, String name, String value) {
        if (value != null) {
            headers.remove(name);
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
