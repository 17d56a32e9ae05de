package io.tether.pushoptions;

import com.eatthepath.pushy.apns.util.ApnsPayloadBuilder;
import io.tether.contract.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * Pushy's payload builder, plus raw keys merged over the {@code aps} dictionary it builds (a key set to null
 * removes it): the escape hatch for what Apple adds before Pushy models it. Serialized with Jackson.
 */
final class TetherPayloadBuilder extends ApnsPayloadBuilder {
    private Map<String, Object> apsOverride = Map.of();

    TetherPayloadBuilder setApsOverride(Map<String, Object> keys) {
        this.apsOverride = keys == null ? Map.of() : keys;
        return this;
    }

    @Override
    public String build() {
        Map<String, Object> payload = buildPayloadMap();
        if (!apsOverride.isEmpty()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> aps = new HashMap<>((Map<String, Object>) payload.getOrDefault("aps", Map.of()));
            apsOverride.forEach((key, value) -> {
                if (value == null) {
                    aps.remove(key);
                } else {
                    aps.put(key, value);
                }
            });
            payload.put("aps", aps);
        }
        return Json.toString(payload);
    }

    @Override
    public String buildMdmPayload(String pushMagicValue) {
        return Json.toString(buildMdmPayloadMap(pushMagicValue));
    }
}
