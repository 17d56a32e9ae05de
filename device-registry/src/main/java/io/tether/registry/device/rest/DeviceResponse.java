package io.tether.registry.device.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tether.registry.device.Device;
import io.tether.registry.device.RegisteredDevice;

/**
 * A device as the API shows it: never the push token (only whether there is one), never the secret
 * or its hash. {@code mqtt} is present only in the answer to the create request.
 *
 * @param createdAt ISO-8601 instant
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceResponse(String id, String platform, String appId, String userId, String pushEnvironment,
                             boolean hasPushToken, String createdAt, MqttCredentials mqtt) {

    /** What a device presents in its MQTT CONNECT. */
    public record MqttCredentials(String clientId, String username, String password) {
        @Override
        public String toString() {
            return "MqttCredentials[clientId=" + clientId + ", username=" + username + ", password=***]";
        }
    }

    static DeviceResponse of(Device device) {
        return of(device, null);
    }

    static DeviceResponse created(RegisteredDevice registered) {
        String id = registered.device().id();
        return of(registered.device(), new MqttCredentials(id, id, registered.password()));
    }

    private static DeviceResponse of(Device device, MqttCredentials mqtt) {
        return new DeviceResponse(device.id(), device.platform().wire(), device.appId(), device.userId(),
                device.pushEnvironment() == null ? null : device.pushEnvironment().wire(),
                device.hasPushToken(), device.createdAt().toString(), mqtt);
    }
}
