package io.tether.registry.device.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.Platform;
import io.tether.registry.device.DeviceChanges;
import io.tether.contract.problem.Problem;
import io.tether.rest.problem.ProblemException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code PATCH /v1/devices/{id}}, as a JSON merge patch (RFC 7396) of {@code appId}, {@code platform}
 * and {@code userId}: a member that is absent stays as it is, {@code "userId": null} removes the device from
 * its user. Any other member is a 400 naming it, so a client never believes it changed something it did not.
 */
final class DevicePatch {
    private DevicePatch() {
    }

    static DeviceChanges parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.validation("the body must be a JSON object",
                    List.of(new Problem.FieldError("body", "must be a JSON object")));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        String appId = null;
        Platform platform = null;
        boolean changeUser = false;
        String userId = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            String name = member.getKey();
            JsonNode value = member.getValue();
            switch (name) {
                case "appId" -> {
                    if (value.isTextual() && Fields.isAppId(value.asText())) {
                        appId = value.asText();
                    } else {
                        errors.add(new Problem.FieldError(name, Fields.APP_ID_MESSAGE));
                    }
                }
                case "platform" -> {
                    if (value.isTextual() && Fields.isPlatform(value.asText())) {
                        platform = Platform.parse(value.asText()).orElseThrow();
                    } else {
                        errors.add(new Problem.FieldError(name, Fields.PLATFORM_MESSAGE));
                    }
                }
                case "userId" -> {
                    changeUser = true;
                    if (value.isNull()) {
                        userId = null;
                    } else if (value.isTextual() && Fields.isUserId(value.asText())) {
                        userId = value.asText();
                    } else {
                        errors.add(new Problem.FieldError(name, Fields.USER_ID_MESSAGE + ", or null"));
                    }
                }
                case "pushToken", "pushEnvironment" ->
                        errors.add(new Problem.FieldError(name, "is changed with PUT /v1/devices/{id}/push-token"));
                default -> errors.add(new Problem.FieldError(safeName(name), "cannot be changed"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("invalid fields: "
                    + String.join(", ", errors.stream().map(Problem.FieldError::field).toList()), errors);
        }
        return new DeviceChanges(appId, platform, changeUser, userId);
    }

    /** A member name is client input too: named back only when it looks like a field name. */
    private static String safeName(String name) {
        return name.matches("[A-Za-z0-9_.-]{1,64}") ? name : "(unknown member)";
    }
}
