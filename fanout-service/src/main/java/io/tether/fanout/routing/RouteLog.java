package io.tether.fanout.routing;

import io.tether.contract.Json;
import io.tether.contract.Topics;
import io.tether.fanout.intake.DownstreamCodec;
import io.tether.fanout.intake.OutgoingMessage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The write-ahead log of messages routed when they are accepted ({@link AcceptedRoutes}): a Redis stream whose entries
 * are messages whose route script may have run but whose follow-ups (expiry index, status events, push request) are
 * not known to be done. An entry holds the message as its downstream record would, so that {@link RouteLogSweeper}
 * can route it again exactly as the routing consumer would route a record it consumes a second time.
 */
public final class RouteLog {
    /** The stream. One key for all fanouts: it cannot share a device's hash slot, so it is always a command of its own. */
    public static final String KEY = "tether:fanout:route-log";
    /** The entry's one field: the message, {@link #encode}d. */
    public static final String FIELD = "m";
    /** Held by the fanout sweeping the log, so that replicas do not route the same orphan several times. */
    static final String SWEEP_LOCK = "tether:fanout:route-log:sweeping";

    private RouteLog() {
    }

    /** The downstream record's value and headers, base64 each, as JSON. */
    record Logged(String value, List<List<String>> headers) {
    }

    public static String encode(OutgoingMessage message) {
        ProducerRecord<String, byte[]> record = DownstreamCodec.toRecord(message);
        List<List<String>> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(List.of(header.key(), base64(header.value())));
        }
        return Json.toString(new Logged(base64(record.value()), headers));
    }

    /** @throws IllegalArgumentException when the entry is not a message this codec wrote */
    public static OutgoingMessage decode(String encoded) {
        Logged logged = Json.fromString(encoded, Logged.class);
        if (logged.headers() == null) {
            throw new IllegalArgumentException("route log entry without headers");
        }
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.DOWNSTREAM, 0, 0, null, bytes(logged.value()));
        for (List<String> header : logged.headers()) {
            if (header.size() != 2) {
                throw new IllegalArgumentException("route log header is not [key, value]");
            }
            record.headers().add(header.get(0), bytes(header.get(1)));
        }
        return DownstreamCodec.fromRecord(record);
    }

    private static String base64(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] bytes(String base64) {
        return base64 == null ? null : Base64.getDecoder().decode(base64);
    }
}
