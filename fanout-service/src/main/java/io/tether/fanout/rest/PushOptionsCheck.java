package io.tether.fanout.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.eatthepath.pushy.apns.PushType;
import io.tether.contract.Json;
import io.tether.contract.PushRequest;
import io.tether.pushoptions.BadPushOptionsException;
import io.tether.pushoptions.NotificationFactory;
import io.tether.pushoptions.PushOptions;
import io.tether.contract.problem.Problem;
import io.tether.inbox.RoutingPolicy;
import java.util.List;

/**
 * A message's {@code push} object (and {@code to.activity}) checked before the message is accepted, by the code
 * push-service builds the notification with: every option, Apple's rules, and the notification's size (4 KB, 5 KB
 * for VoIP; the data moves to the inbox when only it does not fit, except for a direct push, which has no inbox and is
 * refused). What passes travels to push-service as the
 * JSON text it returns, with {@code to.activity} inside as {@code activity}.
 */
final class PushOptionsCheck {
    /** A placeholder device token: the size of a notification does not depend on which token it goes to. */
    private static final String ANY_TOKEN = "00".repeat(32);

    /** What passed: the options and their JSON text for push-service. */
    record Checked(PushOptions options, String json) {
    }

    private PushOptionsCheck() {
    }

    /** @return null when there are no push options and no activity */
    static Checked check(JsonNode push, String activity, byte[] payload, String contentType, long now, long expiresAt,
            String collapseKey, List<Problem.FieldError> errors) {
        if ((push == null || push.isNull()) && activity == null) {
            return null;
        }
        ObjectNode json = push != null && push.isObject() ? push.deepCopy() : Json.MAPPER.createObjectNode();
        if (json.has("activity")) {
            errors.add(new Problem.FieldError("push.activity", "is not a push option: address the activity with to.activity"));
            return null;
        }
        if (push != null && !push.isNull() && !push.isObject()) {
            errors.add(new Problem.FieldError("push", "must be an object"));
            return null;
        }
        if (activity != null) {
            json.put("activity", activity);
        }
        try {
            PushOptions options = PushOptions.parse(json, true);
            if (options.type() == PushType.LIVE_ACTIVITY && payload.length > 0) {
                errors.add(new Problem.FieldError("payload", "a Live Activity message carries no data: its content is "
                        + "push.liveActivity.contentState"));
                return null;
            }
            String text = Json.toString(json);
            // The same notification push-service will build, to a stand-in device: too large is refused now, not later.
            NotificationFactory.Notification notification = new NotificationFactory().build(new PushRequest("size-check",
                    "msg_check", now, expiresAt, collapseKey, text, payload, contentType, "check", null), options, ANY_TOKEN, "app");
            String type = options.type().getHeaderValue();
            if (notification.fetchHint() && RoutingPolicy.isDirectPush(type)) {
                // A direct push never enters the inbox: a fetch hint would point at nothing and the data would be lost.
                errors.add(new Problem.FieldError("payload", "does not fit a " + type + " push, which carries its data in full "
                        + "(it has no inbox to fetch from): the notification may be at most "
                        + NotificationFactory.maxPayloadBytes(options.type()) + " bytes with the data"));
                return null;
            }
            return new Checked(options, text);
        } catch (BadPushOptionsException e) {
            e.violations().forEach(v -> errors.add(new Problem.FieldError(v.field(), v.message())));
            return null;
        }
    }
}
