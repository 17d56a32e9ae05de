package io.tether.gateway.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.Json;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

/** What a device publishes on {@code $tether/push-token}: its APNs token and the environment that issued it. */
record PushTokenReport(String token, String environment) {
    private static final Pattern HEX_TOKEN = Pattern.compile("([0-9a-f]{2}){32,100}");

    /** @throws IllegalArgumentException when the payload is not {@code {"token":"<hex>","environment":"sandbox|production"}} */
    static PushTokenReport parse(byte[] payload) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("push token report must be JSON");
        }
        if (json == null || !json.path("token").isTextual()) {
            throw new IllegalArgumentException("push token report needs a token");
        }
        String token = json.path("token").asText().toLowerCase(Locale.ROOT);
        String environment = json.path("environment").asText("production");
        if (!HEX_TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("push token must be hex");
        }
        if (!environment.equals("sandbox") && !environment.equals("production")) {
            throw new IllegalArgumentException("environment must be sandbox or production");
        }
        return new PushTokenReport(token, environment);
    }
}
