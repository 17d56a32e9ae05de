package io.tether.pushoptions;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.util.ApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.InterruptionLevel;
import com.eatthepath.pushy.apns.util.LiveActivityEvent;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.tether.contract.PushRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a push request for one device into the APNs notification Apple expects, headers and payload, with Pushy's
 * builders. fanout builds it too (with a stand-in token) to refuse, before accepting a message, a notification
 * APNs would refuse for its size.
 */
public final class NotificationFactory {
    /** APNs' limit for the payload of a notification, in bytes. */
    public static final int MAX_PAYLOAD_BYTES = 4096;
    /** APNs' limit for the payload of a VoIP notification, in bytes. */
    public static final int MAX_VOIP_PAYLOAD_BYTES = 5120;
    /** APNs' limit for apns-collapse-id, in bytes. */
    public static final int MAX_COLLAPSE_ID_BYTES = 64;

    /**
     * @param fetchHint true when the message data did not fit and the payload says {@code "fetch": true} instead
     */
    public record Notification(SimpleApnsPushNotification push, boolean fetchHint, int payloadBytes) {
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
     * @param options  the request's push options, already parsed ({@link PushOptions#parse(String)})
     * @param token    the device's APNs token of the options' {@link PushOptions#tokenSlot() slot}
     * @param bundleId the app's bundle id (the APNs topic, before Apple's suffix for the push type)
     * @throws BadPushOptionsException when the notification would be too large for APNs
     */
    public Notification build(PushRequest request, PushOptions options, String token, String bundleId) {
        PushType type = options.type();
        DeliveryPriority priority = ApnsPriority.of(options);
        int limit = maxPayloadBytes(type);
        boolean fetchHint = false;
        String payload;
        if (type == PushType.LIVE_ACTIVITY) {
            // ActivityKit reads only aps; the activity's content travels in content-state, not as message data.
            payload = liveActivityPayload(options, request.acceptedAt());
            if (size(payload) > limit) {
                throw new BadPushOptionsException("push.liveActivity", "makes a notification of " + size(payload)
                        + " bytes; APNs takes at most " + limit);
            }
        } else {
            payload = fitting(options, type, request, limit);
            if (payload == null) {
                // Never truncate: the data stays in the device's inbox and the app fetches it, with a token if it fits.
                fetchHint = true;
                payload = fetchHint(options, type, request, limit);
                if (size(payload) > limit) {
                    throw new BadPushOptionsException("push", "makes a notification of " + size(payload)
                            + " bytes even without the message data; APNs takes at most " + limit);
                }
            }
        }
        SimpleApnsPushNotification push = new SimpleApnsPushNotification(token, topic(bundleId, type), payload,
                Instant.ofEpochMilli(request.expiresAt()), priority, type, collapseId(request.collapseKey()),
                apnsId(request.messageId(), request.deviceId()));
        return new Notification(push, fetchHint, size(payload));
    }

    /**
     * The payload with the message's data, or for an attachment with its descriptor (and the data when that fits too);
     * null when nothing of it fits {@code limit}.
     */
    private static String fitting(PushOptions options, PushType type, PushRequest request, int limit) {
        if (TetherData.isAttachment(request.contentType())) {
            for (boolean withData : new boolean[] {true, false}) {
                Optional<Map<String, Object>> tether = TetherData.withAttachment(request.messageId(), request.payload(), withData);
                if (tether.isPresent()) {
                    String payload = payload(options, type, tether.get());
                    if (size(payload) <= limit) {
                        return payload;
                    }
                }
            }
            return null;
        }
        String payload = payload(options, type, TetherData.withData(request.messageId(), request.payload(), request.contentType()));
        return size(payload) <= limit ? payload : null;
    }

    /**
     * The payload that tells the app to fetch, with a fetch token for the device when it fits (fanout checked the
     * size without one, so a token never makes a notification fail).
     */
    private String fetchHint(PushOptions options, PushType type, PushRequest request, int limit) {
        Optional<String> token = fetchTokens.issue(request.deviceId(), request.expiresAt());
        if (token.isPresent()) {
            String payload = payload(options, type, TetherData.fetchHint(request.messageId(), token.get()));
            if (size(payload) <= limit) {
                return payload;
            }
        }
        return payload(options, type, TetherData.fetchHint(request.messageId(), null));
    }

    /** APNs' payload limit for a push type: 5 KB for VoIP, 4 KB for the rest. */
    public static int maxPayloadBytes(PushType type) {
        return type == PushType.VOIP ? MAX_VOIP_PAYLOAD_BYTES : MAX_PAYLOAD_BYTES;
    }

    /** apns-topic: the bundle id, with the suffix Apple requires for some push types. */
    public static String topic(String bundleId, PushType type) {
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

    /**
     * apns-collapse-id: the collapse key as is when it is printable ASCII of at most 64 bytes; else its SHA-256 (64 hex
     * digits), so it still collapses. Netty writes HTTP/2 header values as ISO-8859-1: "聊-1" and "天-1" would both go
     * out as "?-1" and collapse into each other.
     */
    static String collapseId(String collapseKey) {
        if (collapseKey == null || collapseKey.isEmpty()) {
            return null;
        }
        if (collapseKey.length() <= MAX_COLLAPSE_ID_BYTES && collapseKey.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
            return collapseKey;
        }
        byte[] bytes = collapseKey.getBytes(StandardCharsets.UTF_8);
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
        TetherPayloadBuilder builder = common(options);
        builder.setBadgeNumber(options.badge());
        builder.setCategoryName(options.category());
        builder.setThreadId(options.threadId());
        // A background push without content-available is empty and wakes nothing.
        builder.setContentAvailable(type == PushType.BACKGROUND || Boolean.TRUE.equals(options.contentAvailable()));
        builder.setMutableContent(Boolean.TRUE.equals(options.mutableContent()));
        builder.setTargetContentId(options.targetContentId());
        options.data().forEach(builder::addCustomProperty);
        builder.addCustomProperty(TetherData.KEY, tether);
        return builder.build();
    }

    /** ActivityKit's shape: event, timestamp, content-state, stale-date, dismissal-date, attributes-type, attributes. */
    private static String liveActivityPayload(PushOptions options, long acceptedAt) {
        PushOptions.LiveActivity live = options.liveActivity();
        TetherPayloadBuilder builder = common(options);
        builder.setEvent(LiveActivityEvent.valueOf(live.event().toUpperCase(Locale.ROOT)));
        // The time the content is from: ActivityKit drops an update older than the one it shows.
        builder.setTimestamp(Instant.ofEpochSecond(live.timestamp() != null ? live.timestamp() : acceptedAt / 1000));
        builder.setContentState(live.contentState());
        builder.setStaleDate(live.staleDate() == null ? null : Instant.ofEpochSecond(live.staleDate()));
        builder.setDismissalDate(live.dismissalDate() == null ? null : Instant.ofEpochSecond(live.dismissalDate()));
        builder.setAttributesType(live.attributesType());
        builder.setAttributes(live.attributes());
        return builder.build();
    }

    /** What every kind of notification may carry: alert, sound, interruption level, relevance score, raw aps keys. */
    private static TetherPayloadBuilder common(PushOptions options) {
        TetherPayloadBuilder builder = new TetherPayloadBuilder();
        alert(builder, options.alert());
        PushOptions.Sound sound = options.sound();
        if (sound != null && sound.dictionary()) {
            builder.setSound(sound.name(), Boolean.TRUE.equals(sound.critical()), sound.volume() == null ? 1.0 : sound.volume());
        } else if (sound != null) {
            builder.setSound(sound.name());
        }
        if (options.interruptionLevel() != null) {
            builder.setInterruptionLevel(interruptionLevel(options.interruptionLevel()));
        }
        builder.setRelevanceScore(options.relevanceScore());
        builder.setApsOverride(options.aps());
        return builder;
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
        throw new BadPushOptionsException("push.interruptionLevel", "is unknown: " + value);
    }

    private static int size(String payload) {
        return payload.getBytes(StandardCharsets.UTF_8).length;
    }
}
