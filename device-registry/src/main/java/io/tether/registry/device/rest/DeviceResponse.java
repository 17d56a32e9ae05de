package io.tether.registry.device.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tether.registry.device.Device;
import io.tether.registry.device.RegisteredDevice;
import java.time.Instant;

/**
 * A device as the API shows it: never the push token (only whether there is one), never the secret
 * or its hash. {@code mqtt} is present only in the answer to the create request.
 *
 * @param createdAt          ISO-8601 instant, as are the other times
 * @param credentialsRevoked true after {@code credentials/revoke} until the next {@code credentials/rotate}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceResponse(String id, String platform, String appId, String userId, String pushEnvironment,
                             boolean hasPushToken, String pushTokenUpdatedAt, boolean credentialsRevoked,
                             String createdAt, String updatedAt, MqttCredentials mqtt) {

    /** What a device presents in its MQTT CONNECT. */
    public record MqttCredentials(String clientId, String username, String password) {
        static MqttCredentials of(String deviceId, String password) {
            return new MqttCredentials(deviceId, deviceId, password);
        }

        @Override
        public String toString() {
            return "MqttCredentials[clientId=" + clientId + ", username=" + username + ", password=***]";
        }
    }

    static DeviceResponse of(Device device) {
        return of(device, null);
    }

    static DeviceResponse created(RegisteredDevice registered) {
        return of(registered.device(), MqttCredentials.of(registered.device().id(), registered.password()));
    }

    private static DeviceResponse of(Device device, MqttCredentials mqtt) {
        return new DeviceResponse(device.id(), device.platform().wire(), device.appId(), device.userId(),
                device.pushEnvironment() == null ? null : device.pushEnvironment().wire(),
                device.hasPushToken(), iso(device.pushTokenUpdatedAt()), device.credentialsRevoked(),
                iso(device.createdAt()), iso(device.updatedAt()), mqtt);
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    @Override
    public String toString() {
        return "DeviceResponse[id=" + id + ", mqtt=" + mqtt + "]";
    }
}
