package io.tether.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Appends each accepted notification as a JSON line, so that a client that saw 200 finds it in the file. */
final class ApnsRecordFile implements LocalApns.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path recordFile;

    ApnsRecordFile(Path recordFile) {
        this.recordFile = recordFile;
    }

    @Override
    public void accepted(String token, Http2Headers headers, ByteBuf payload) {
        ObjectNode line = JSON.createObjectNode();
        line.put("receivedAt", Instant.now().toString());
        line.put("token", token);
        line.put("topic", header(headers, "apns-topic"));
        line.put("pushType", header(headers, "apns-push-type"));
        String priority = header(headers, "apns-priority");
        if (priority != null && priority.matches("\\d+")) {
            line.put("priority", Integer.parseInt(priority));
        } else {
            line.put("priority", priority);
        }
        line.put("collapseId", header(headers, "apns-collapse-id"));
        line.put("apnsId", header(headers, "apns-id"));
        String body = payload == null ? "" : payload.toString(StandardCharsets.UTF_8);
        try {
            line.set("payload", body.isBlank() ? null : JSON.readTree(body));
        } catch (IOException notJson) {
            line.put("payload", body);
        }
        append(line.toString() + "\n");
    }

    private void append(String text) {
        // One handler per connection, one file for all: serialize writes across handlers.
        synchronized (LocalApns.class) {
            try {
                Files.writeString(recordFile, text, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record a notification in " + recordFile, e);
            }
        }
    }

    private static String header(Http2Headers headers, String name) {
        CharSequence value = headers.get(name);
        return value == null ? null : value.toString();
    }
}
