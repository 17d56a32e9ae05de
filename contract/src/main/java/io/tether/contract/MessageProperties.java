package io.tether.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Header;

/**
 * The MQTT 5 properties a message carries besides its payload and content type: user properties (ordered, a name may
 * repeat) and, for request/response, a Response Topic and Correlation Data. They travel from a device to
 * {@code tether.upstream} and from {@code POST /v1/messages} through {@code tether.downstream} and the inbox to the
 * device, in Kafka headers named by {@link Headers#USER_PROPERTY_PREFIX}, {@link Headers#RESPONSE_TOPIC} and
 * {@link Headers#CORRELATION_DATA}.
 *
 * @param user            user properties in order; empty for none
 * @param responseTopic   the topic an answer is expected on, or null
 * @param correlationData opaque bytes the answer carries back, or null
 */
public record MessageProperties(List<UserProperty> user, String responseTopic, byte[] correlationData) {

    /** One MQTT 5 user property. */
    public record UserProperty(String name, String value) {
        public UserProperty {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public MessageProperties {
        user = user == null ? List.of() : List.copyOf(user);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return user.isEmpty() && responseTopic == null && correlationData == null;
    }

    /** Null for nothing to carry, so that records without properties look as they did before. */
    public static MessageProperties orNull(List<UserProperty> user, String responseTopic, byte[] correlationData) {
        MessageProperties properties = new MessageProperties(user, responseTopic, correlationData);
        return properties.isEmpty() ? null : properties;
    }

    /** Writes them as Kafka headers (nothing for null). */
    public static void writeTo(org.apache.kafka.common.header.Headers headers, MessageProperties properties) {
        if (properties == null) {
            return;
        }
        for (UserProperty property : properties.user) {
            headers.add(Headers.USER_PROPERTY_PREFIX + property.name(), property.value().getBytes(StandardCharsets.UTF_8));
        }
        KafkaHeaders.put(headers, Headers.RESPONSE_TOPIC, properties.responseTopic);
        if (properties.correlationData != null) {
            headers.remove(Headers.CORRELATION_DATA);
            headers.add(Headers.CORRELATION_DATA, properties.correlationData);
        }
    }

    /** Reads what {@link #writeTo} wrote; null when the headers carry none. */
    public static MessageProperties readFrom(org.apache.kafka.common.header.Headers headers) {
        List<UserProperty> user = new ArrayList<>();
        for (Header header : headers) {
            if (header.key().startsWith(Headers.USER_PROPERTY_PREFIX) && header.value() != null) {
                user.add(new UserProperty(header.key().substring(Headers.USER_PROPERTY_PREFIX.length()),
                        new String(header.value(), StandardCharsets.UTF_8)));
            }
        }
        Header correlation = headers.lastHeader(Headers.CORRELATION_DATA);
        return orNull(user, KafkaHeaders.get(headers, Headers.RESPONSE_TOPIC).orElse(null),
                correlation == null ? null : correlation.value());
    }

    // A record compares arrays by identity: compare the bytes.
    @Override
    public boolean equals(Object other) {
        return other instanceof MessageProperties that && user.equals(that.user) && Objects.equals(responseTopic, that.responseTopic)
                && Arrays.equals(correlationData, that.correlationData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, responseTopic, Arrays.hashCode(correlationData));
    }

    @Override
    public String toString() {
        return "MessageProperties[user=" + user + ", responseTopic=" + responseTopic + ", correlationData="
                + (correlationData == null ? "null" : correlationData.length + " bytes") + "]";
    }
}
