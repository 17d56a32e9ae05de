package io.tether.gateway.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.Json;
import io.tether.contract.PushTokenKind;
import io.tether.contract.PushTokenSlot;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a device publishes on {@code $tether/push-token}: one of its APNs tokens, which kind, and the environment
 * that issued it. {@code {"token": "<hex>", "environment": "sandbox|production"}} is the standard token;
 * {@code "kind": "voip"}, {@code "kind": "pushToStart", "activityType": "<type>"} or
 * {@code "kind": "liveActivity", "activityId": "<id>"} (optionally {@code "activityType"}) the others;
 * {@code "token": null} removes the token of that kind.
 *
 * @param token null to remove the slot's token
 */
record PushTokenReport(PushTokenSlot slot, String token, String environment, String activityType) {
    private static final Pattern HEX_TOKEN = Pattern.compile("([0-9a-f]{2}){32,100}");

    /** @throws IllegalArgumentException when the payload is not such a report */
    static PushTokenReport parse(byte[] payload) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("push token report must be JSON");
        }
        if (json == null || !json.isObject() || !(json.path("token").isTextual() || json.path("token").isNull())) {
            throw new IllegalArgumentException("push token report needs a token (null to remove it)");
        }
        PushTokenKind kind = PushTokenKind.parse(json.path("kind").asText("alert"))
                .orElseThrow(() -> new IllegalArgumentException("kind must be alert, voip, pushToStart or liveActivity"));
        String qualifier = switch (kind) {
            case PUSH_TO_START -> json.path("activityType").asText(null);
            case LIVE_ACTIVITY -> json.path("activityId").asText(null);
            default -> null;
        };
        PushTokenSlot slot;
        try {
            slot = new PushTokenSlot(kind, qualifier);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(kind.wire() + " needs " + (kind == PushTokenKind.PUSH_TO_START ? "activityType" : "activityId")
                    + ": " + PushTokenSlot.QUALIFIER_RULE);
        }
        String activityType = kind == PushTokenKind.LIVE_ACTIVITY ? json.path("activityType").asText(null) : null;
        if (activityType != null && !PushTokenSlot.isValidQualifier(activityType)) {
            throw new IllegalArgumentException("activityType must be " + PushTokenSlot.QUALIFIER_RULE);
        }
        String environment = json.path("environment").asText("production");
        if (!environment.equals("sandbox") && !environment.equals("production")) {
            throw new IllegalArgumentException("environment must be sandbox or production");
        }
        if (json.path("token").isNull()) {
            return new PushTokenReport(slot, null, environment, null);
        }
        String token = json.path("token").asText().toLowerCase(Locale.ROOT);
        if (!HEX_TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("push token must be hex");
        }
        return new PushTokenReport(slot, token, environment, activityType);
    }
}
