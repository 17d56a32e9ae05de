package io.tether.fanout.status;

import java.util.List;
import java.util.Map;

/** What {@code GET /v1/messages/<id>} shows. Times are epoch millis. */
public record MessageStatus(String messageId, long acceptedAt, long expiresAt, List<DeviceStatus> devices) {

    /**
     * Status of the message for one device.
     *
     * @param status queued, pushed, delivered, expired or failed ("accepted" while routing has not reached it)
     * @param route  live, push or inbox: the last way it was sent
     */
    public record DeviceStatus(String deviceId, String status, String route, String reason, Long queuedAt,
            Long pushedAt, Long deliveredAt, Long updatedAt, Integer attempts) {

        static DeviceStatus from(String deviceId, Map<String, String> fields) {
            if (fields.isEmpty()) {
                return new DeviceStatus(deviceId, "accepted", null, null, null, null, null, null, null);
            }
            return new DeviceStatus(deviceId, fields.get("status"), fields.get("route"), fields.get("reason"),
                    millis(fields.get("queuedAt")), millis(fields.get("pushedAt")), millis(fields.get("deliveredAt")),
                    millis(fields.get("updatedAt")), fields.get("attempts") == null ? null : Integer.valueOf(fields.get("attempts")));
        }

        private static Long millis(String value) {
            return value == null ? null : Long.valueOf(value);
        }
    }
}
