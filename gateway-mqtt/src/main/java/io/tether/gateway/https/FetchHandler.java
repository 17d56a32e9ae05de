package io.tether.gateway.https;

import io.tether.contract.problem.ProblemType;
import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.DeviceId;
import io.tether.contract.Json;
import io.tether.contract.MessageId;
import io.tether.contract.attachment.AttachmentDocument;
import io.tether.contract.attachment.AttachmentWire;
import io.tether.inbox.Inbox;
import io.tether.inbox.InboxEntry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The device's own messages over HTTPS, for an app that has no MQTT connection (a Notification Service Extension, a
 * background fetch): {@code GET /v1/devices/<id>/messages} lists what is pending, in order;
 * {@code POST /v1/devices/<id>/messages/ack} with {@code {"messageIds": [...]}} acknowledges what it handled. Runs
 * after {@link DeviceAuth}, which proved the caller is device {@code id}.
 */
final class FetchHandler {
    static final int MAX_ACK = 100;

    private final Inbox inbox;
    private final int maxFetch;

    FetchHandler(Inbox inbox, int maxFetch) {
        this.inbox = inbox;
        this.maxFetch = maxFetch;
    }

    void list(RoutingContext routing) {
        String deviceId = routing.pathParam("id");
        int limit = maxFetch;
        String asked = routing.request().getParam("limit");
        if (asked != null) {
            try {
                limit = Math.min(maxFetch, Integer.parseInt(asked));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1) {
                Problems.send(routing.response(), ProblemType.VALIDATION, "limit must be 1 to " + maxFetch, routing.request().path());
                return;
            }
        }
        Context context = Vertx.currentContext();
        inbox.pending(deviceId, limit).whenComplete((messages, error) -> context.runOnContext(v -> {
            if (error != null) {
                Problems.send(routing.response(), ProblemType.UNAVAILABLE, "messages cannot be read right now, retry later",
                        routing.request().path());
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("deviceId", deviceId);
            body.put("messages", messages.stream().map(FetchHandler::view).toList());
            json(routing, 200, body);
        }));
    }

    void acknowledge(RoutingContext routing) {
        String path = routing.request().path();
        List<String> ids = new ArrayList<>();
        try {
            JsonNode body = Json.MAPPER.readTree(routing.body().buffer() == null ? new byte[0] : routing.body().buffer().getBytes());
            JsonNode list = body == null ? null : body.get("messageIds");
            if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_ACK) {
                throw new IllegalArgumentException();
            }
            for (JsonNode id : list) {
                if (!id.isTextual() || !MessageId.isValid(id.asText())) {
                    throw new IllegalArgumentException();
                }
                ids.add(id.asText());
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            Problems.send(routing.response(), ProblemType.VALIDATION,
                    "the body must be {\"messageIds\": [...]} with 1 to " + MAX_ACK + " message ids", path);
            return;
        }
        Context context = Vertx.currentContext();
        inbox.acknowledgeFetched(routing.pathParam("id"), ids).whenComplete((results, error) -> context.runOnContext(v -> {
            if (error != null) {
                Problems.send(routing.response(), ProblemType.UNAVAILABLE, "cannot acknowledge right now, retry later", path);
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("acknowledged", results.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList());
            body.put("unknown", results.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList());
            json(routing, 200, body);
        }));
    }

    /** One message as the fetch shows it; an attachment's descriptor also on its own, for convenience. */
    static Map<String, Object> view(InboxEntry message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("messageId", message.messageId());
        out.put("topic", message.mqttTopic());
        out.put("contentType", message.contentType());
        out.put("payloadBase64", Base64.getEncoder().encodeToString(message.payload() == null ? new byte[0] : message.payload()));
        out.put("acceptedAt", message.acceptedAt());
        out.put("expiresAt", message.expiresAt());
        if (AttachmentWire.DOCUMENT_CONTENT_TYPE.equals(message.contentType()) && message.payload() != null) {
            try {
                out.put("attachment", Json.fromBytes(message.payload(), AttachmentDocument.class).attachment());
            } catch (IllegalArgumentException notADocument) {
                // the payload still carries it as it is
            }
        }
        return out;
    }

    static void json(RoutingContext routing, int status, Object body) {
        routing.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(Json.toString(body));
    }

    static boolean isDeviceId(String id) {
        return DeviceId.isValid(id);
    }
}
