package io.tether.chaos.device;

import io.tether.chaos.stack.ChaosStack;
import io.tether.chaos.traffic.Rest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A device registered in device-registry: its id, MQTT user name and password, and APNs token. */
public record Credentials(String id, String username, String password, String pushToken) {

    /** Registers {@code count} iOS devices of the local APNs' app, each with a random sandbox push token. */
    public static List<Credentials> register(Rest rest, String registryUrl, int count) {
        SecureRandom random = new SecureRandom();
        List<Credentials> devices = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] token = new byte[32];
            random.nextBytes(token);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("platform", "ios");
            body.put("appId", ChaosStack.BUNDLE_ID);
            body.put("pushToken", HexFormat.of().formatHex(token));
            body.put("pushEnvironment", "sandbox");
            Rest.Answer answer = rest.post(registryUrl + "/v1/devices", body);
            if (answer.status() != 201) {
                throw new IllegalStateException("registering a device answered " + answer.status() + ": " + answer.body());
            }
            devices.add(new Credentials(answer.field("id"), answer.body().path("mqtt").path("username").asText(),
                    answer.body().path("mqtt").path("password").asText(), (String) body.get("pushToken")));
        }
        return devices;
    }
}
