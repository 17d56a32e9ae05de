package io.tether.push.notification;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.util.ApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.InterruptionLevel;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.tether.contract.PushRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Turns a push request for one device into the APNs notification Apple expects: headers and payload. */
public final class NotificationFactory {
    /** APNs' limit for the payload of a regular notification, in bytes. */
    public static final int MAX_PAYLOAD_BYTES = 4096;
    /** APNs' limit for apns-collapse-id, in bytes. */
    public static final int MAX_COLLAPSE_ID_BYTES = 64;

    /**
     * @param fetchHint true when the message data did not fit and the payload says {@code "fetch": true} instead
     */
    public record Notification(SimpleApnsPushNotification push, boolean fetchHint) {
    }

    /** Issues the device fetch token a push carries when it does not carry the whole message. */
    @FunctionalInterface
    public interface FetchTokens {
        /** A token for {@code deviceId} that expires at {@code notAfter} (epoch millis) at the latest; empty without signing keys. */
        Optional<String> issue(String deviceId, long notAfter);

        FetchTokens NONE = (deviceId, notAfter) -> Optional.empty();
    }

    private final FetchTokens fetchTokens;

    public NotificationFactory() {
        this(FetchTokens.NONE);
    }

    public NotificationFactory(FetchTokens fetchTokens) {
        this.fetchTokens = fetchTokens;
    }

    /**
     * @param token    the device's APNs token
     * @param bundleId the app's bundle id (the APNs topic)
     * @throws BadPushOptionsException when the options cannot make a valid notification
     */
    public Notification build(PushRequest request, String token, String bundleId) {
        PushOptions options = PushOptions.parse(request.push());
        for (String key : options.data().keySet()) {
            if (key.equals("aps") || key.equals(TetherData.KEY)) {
                throw new BadPushOptionsException("data may not use the reserved key " + key);
            }
        }
        PushType type = pushType(options);
        boolean fetchHint = false;
        String payload = fitting(options, type, request);
        if (payload == null) {
            // Never truncate: the data stays in the device's inbox and the app fetches it.
            fetchHint = true;
            payload = payload(options, type, TetherData.fetchHint(request.messageId(),
                    fetchTokens.issue(request.deviceId(), request.expiresAt()).orElse(null)));
            if (size(payload) > MAX_PAYLOAD_BYTES) {
                throw new BadPushOptionsException("the notification is over " + MAX_PAYLOAD_BYTES + " bytes even without the data");
            }
        }
        SimpleApnsPushNotification push = new SimpleApnsPushNotification(token, topic(bundleId, type), payload,
                Instant.ofEpochMilli(request.expiresAt()), priority(type), type, collapseId(request.collapseKey()),
                apnsId(request.messageId(), request.deviceId()));
        return new Notification(push, fetchHint);
    }

    /**
     * The payload with the message's data, or for an attachment with its descriptor (and the data when that fits too);
     * null when nothing of it fits APNs' limit.
     */
    private static String fitting(PushOptions options, PushType type, PushRequest request) {
        if (TetherData.isAttachment(request.contentType())) {
            for (boolean withData : new boolean[] {true, false}) {
                Optional<Map<String, Object>> tether = TetherData.withAttachment(request.messageId(), request.payload(), withData);
                if (tether.isPresent()) {
                    String payload = payload(options, type, tether.get());
                    if (size(payload) <= MAX_PAYLOAD_BYTES) {
                        return payload;
                    }
                }
            }
            return null;
        }
        String payload = payload(options, type, TetherData.withData(request.messageId(), request.payload(), request.contentType()));
        return size(payload) <= MAX_PAYLOAD_BYTES ? payload : null;
    }

    /** apns-push-type: as the options say, else alert when they ask for attention, else background. */
    static PushType pushType(PushOptions options) {
        if (options.pushType() != null) {
            try {
                return PushType.getFromHeaderValue(options.pushType());
            } catch (IllegalArgumentException e) {
                throw new BadPushOptionsException("unknown pushType " + options.pushType());
            }
        }
        return options.isVisible() ? PushType.ALERT : PushType.BACKGROUND;
    }

    /** apns-priority: 5 for background pushes (APNs rejects or throttles them at 10), 10 for the rest. */
    static DeliveryPriority priority(PushType type) {
        return type == PushType.BACKGROUND ? DeliveryPriority.CONSERVE_POWER : DeliveryPriority.IMMEDIATE;
    }

    /** apns-topic: the bundle id, with the suffix Apple requires for some push types. */
    static String topic(String bundleId, PushType type) {
        return switch (type) {
            case VOIP -> bundleId + ".voip";
            case COMPLICATION -> bundleId + ".complication";
            case FILEPROVIDER -> bundleId + ".pushkit.fileprovider";
            case LOCATION -> bundleId + ".location-query";
            case LIVE_ACTIVITY -> bundleId + ".push-type.liveactivity";
            case PUSH_TO_TALK -> bundleId + ".voip-ptt";
            default -> bundleId;
        };
    }

    /** apns-collapse-id: the collapse key; a longer key is replaced by its SHA-256 (64 hex digits) so it still collapses. */
    static String collapseId(String collapseKey) {
        if (collapseKey == null || collapseKey.isEmpty()) {
            return null;
        }
        byte[] bytes = collapseKey.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_COLLAPSE_ID_BYTES) {
            return collapseKey;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * apns-id: derived from the message and the device, so a redelivered request reuses it (and Apple's logs
     * show one id), while the same message to two devices gets two ids.
     */
    public static UUID apnsId(String messageId, String deviceId) {
        return UUID.nameUUIDFromBytes((messageId + "/" + deviceId).getBytes(StandardCharsets.UTF_8));
    }

    private static String payload(PushOptions options, PushType type, Map<String, Object> tether) {
        ApnsPayloadBuilder builder = new SimpleApnsPayloadBuilder();
        alert(builder, options.alert());
        if (options.sound() != null) {
            builder.setSound(options.sound());
        }
        builder.setBadgeNumber(options.badge());
        builder.setCategoryName(options.category());
        builder.setThreadId(options.threadId());
        // A background push without content-available is empty and wakes nothing.
        builder.setContentAvailable(type == PushType.BACKGROUND || Boolean.TRUE.equals(options.contentAvailable()));
        builder.setMutableContent(Boolean.TRUE.equals(options.mutableContent()));
        if (options.interruptionLevel() != null) {
            builder.setInterruptionLevel(interruptionLevel(options.interruptionLevel()));
        }
        builder.setRelevanceScore(options.relevanceScore());
        builder.setTargetContentId(options.targetContentId());
        options.data().forEach(builder::addCustomProperty);
        builder.addCustomProperty(TetherData.KEY, tether);
        return builder.build();
    }

    private static void alert(ApnsPayloadBuilder builder, PushOptions.Alert alert) {
        if (alert == null) {
            return;
        }
        if (alert.text() != null) {
            builder.setAlertBody(alert.text());
            builder.setPreferStringRepresentationForAlerts(true);
            return;
        }
        builder.setAlertTitle(alert.title());
        builder.setAlertSubtitle(alert.subtitle());
        builder.setAlertBody(alert.body());
        if (alert.titleLocKey() != null) {
            builder.setLocalizedAlertTitle(alert.titleLocKey(), args(alert.titleLocArgs()));
        }
        if (alert.subtitleLocKey() != null) {
            builder.setLocalizedAlertSubtitle(alert.subtitleLocKey(), args(alert.subtitleLocArgs()));
        }
        if (alert.locKey() != null) {
            builder.setLocalizedAlertMessage(alert.locKey(), args(alert.locArgs()));
        }
        builder.setLaunchImageFileName(alert.launchImage());
    }

    private static String[] args(List<String> args) {
        return args == null ? new String[0] : args.toArray(String[]::new);
    }

    private static InterruptionLevel interruptionLevel(String value) {
        for (InterruptionLevel level : InterruptionLevel.values()) {
            if (level.getValue().equals(value)) {
                return level;
            }
        }
        throw new BadPushOptionsException("unknown interruptionLevel " + value);
    }

    private static int size(String payload) {
        return payload.getBytes(StandardCharsets.UTF_8).length;
    }
}
