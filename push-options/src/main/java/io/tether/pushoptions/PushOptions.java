package io.tether.pushoptions;

import com.eatthepath.pushy.apns.PushType;
import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.Json;
import io.tether.contract.PushTokenSlot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A message's push options: the {@code push} object of {@code POST /v1/messages} (plus {@code activity}, which
 * fanout copies from {@code to.activity}), carried to push-service as JSON text. Parsing checks every field and
 * Apple's rules at once ({@link PushOptionsRules}); fanout refuses a message whose options fail, push-service
 * reads the same text with the same code. See the README for the schema.
 *
 * @param pushType  apns-push-type as given, or null (then derived: {@link #type()})
 * @param priority  apns-priority as given, or null (then derived: {@link ApnsPriority})
 * @param aps       raw keys merged over the {@code aps} dictionary Pushy builds, for what is not modelled here
 * @param activity  the Live Activity addressed by an update or end ({@code to.activity})
 */
public record PushOptions(String pushType, Integer priority, Alert alert, Sound sound, Integer badge, String category,
        String threadId, Boolean contentAvailable, Boolean mutableContent, String interruptionLevel, Double relevanceScore,
        String targetContentId, Map<String, Object> data, Map<String, Object> aps, LiveActivity liveActivity, String activity) {

    /** The field names a request may use; anything else is refused by fanout (push-service ignores it). */
    static final List<String> FIELDS = List.of("pushType", "priority", "alert", "sound", "badge", "category", "threadId",
            "contentAvailable", "mutableContent", "interruptionLevel", "relevanceScore", "targetContentId", "data", "aps",
            "liveActivity", "activity");
    /** Likewise inside {@code alert}, {@code sound} and {@code liveActivity} (data, aps and contentState are free-form). */
    static final List<String> ALERT_FIELDS = List.of("title", "subtitle", "body", "titleLocKey", "titleLocArgs", "subtitleLocKey",
            "subtitleLocArgs", "locKey", "locArgs", "launchImage");
    static final List<String> SOUND_FIELDS = List.of("name", "critical", "volume");
    static final List<String> LIVE_ACTIVITY_FIELDS = List.of("event", "contentState", "timestamp", "staleDate", "dismissalDate",
            "attributesType", "attributes");
    /** The alert fields that show text: an alert object without any of them shows nothing. */
    private static final List<String> ALERT_TEXTS = List.of("title", "subtitle", "body", "titleLocKey", "subtitleLocKey", "locKey");

    /** No options at all: a background push that nudges the app to connect and drain its inbox. */
    public static final PushOptions NONE = new PushOptions(null, null, null, null, null, null, null, null, null, null, null,
            null, Map.of(), null, null, null);

    /**
     * @param text when the alert was given as a plain string: its body, sent as APNs' string form of alert
     */
    public record Alert(String text, String title, String subtitle, String body, String titleLocKey, List<String> titleLocArgs,
            String subtitleLocKey, List<String> subtitleLocArgs, String locKey, List<String> locArgs, String launchImage) {
    }

    /**
     * A sound: a file name, or (when {@code dictionary}) APNs' dictionary form for critical alerts and volume.
     *
     * @param critical whether it is a critical alert (needs Apple's entitlement); null when not given
     * @param volume   0 (silent) to 1 (full); null when not given
     */
    public record Sound(String name, boolean dictionary, Boolean critical, Double volume) {
    }

    /**
     * ActivityKit's fields of a Live Activity notification.
     *
     * @param event          start, update or end
     * @param timestamp      epoch seconds the content is from; null: when the message was accepted
     * @param staleDate      epoch seconds after which the system shows the content as out of date
     * @param dismissalDate  end only: epoch seconds when the ended activity leaves the Lock Screen
     * @param attributesType start only: the activity's ActivityAttributes type
     * @param attributes     start only: its static attributes
     */
    public record LiveActivity(String event, Map<String, Object> contentState, Long timestamp, Long staleDate,
            Long dismissalDate, String attributesType, Map<String, Object> attributes) {

        public boolean isStart() {
            return "start".equals(event);
        }
    }

    /** Whether the options ask the user's attention (alert, sound or badge): then the push type is alert. */
    public boolean isVisible() {
        return alert != null || sound != null || badge != null;
    }

    /** Raw {@code aps} keys that ask the user's attention, as the options alert, sound and badge do. */
    static final List<String> VISIBLE_APS_KEYS = List.of("alert", "sound", "badge");

    /** Whether the notification asks the user's attention: alert, sound or badge, as options or as raw aps keys. */
    boolean isVisibleWithAps() {
        return isVisible() || aps != null && VISIBLE_APS_KEYS.stream().anyMatch(key -> aps.get(key) != null);
    }

    /** apns-push-type: as given; else liveactivity for Live Activity fields, alert when visible, else background. */
    public PushType type() {
        if (pushType != null) {
            return PushType.getFromHeaderValue(pushType);
        }
        if (liveActivity != null) {
            return PushType.LIVE_ACTIVITY;
        }
        return isVisible() ? PushType.ALERT : PushType.BACKGROUND;
    }

    /**
     * Which of the device's tokens the notification goes to: the push-to-start token of the activity type for a
     * start, the activity's own token for an update or end, the VoIP token for voip, the standard token for alert and
     * background. Parsing refuses every other push type ({@link PushOptionsRules#PUSH_TYPES}).
     */
    public PushTokenSlot tokenSlot() {
        return switch (type()) {
            case LIVE_ACTIVITY -> liveActivity.isStart()
                    ? PushTokenSlot.pushToStart(liveActivity.attributesType())
                    : PushTokenSlot.liveActivity(activity);
            case VOIP -> PushTokenSlot.VOIP;
            case ALERT, BACKGROUND -> PushTokenSlot.ALERT;
            default -> throw new IllegalStateException("no token slot for push type " + type().getHeaderValue());
        };
    }

    /**
     * Options as push-service reads them: unknown fields are ignored, so a newer fanout never breaks an older
     * push-service.
     *
     * @throws BadPushOptionsException naming every field that is wrong
     */
    public static PushOptions parse(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        try {
            return parse(Json.MAPPER.readTree(json), false);
        } catch (IOException e) {
            throw new BadPushOptionsException("push", "is not JSON");
        }
    }

    /**
     * @param strict refuse fields this version does not know (fanout, so a misspelt option is not silently lost), and
     *               the rules added since requests could wait in an inbox or Kafka (an alert that shows nothing, what a
     *               background push may not carry, a Live Activity start's alert, priority 10 without an alert): the
     *               push-service side sends what an earlier fanout accepted rather than failing it
     * @throws BadPushOptionsException naming every field that is wrong
     */
    public static PushOptions parse(JsonNode root, boolean strict) {
        if (root == null || root.isNull() || root.isMissingNode()) {
            return NONE;
        }
        List<BadPushOptionsException.Violation> violations = new ArrayList<>();
        if (!root.isObject()) {
            throw new BadPushOptionsException("push", "must be an object");
        }
        FieldReader in = new FieldReader(root, "push", violations, strict);
        in.refuseUnknown(FIELDS);
        PushOptions options = new PushOptions(PushOptionsRules.pushType(in), priority(in), alert(in),
                sound(in), in.nonNegativeInt("badge"), in.text("category"), in.text("threadId"), in.bool("contentAvailable"),
                in.bool("mutableContent"), in.oneOf("interruptionLevel", PushOptionsRules.INTERRUPTION_LEVELS),
                in.fraction("relevanceScore"), in.text("targetContentId"), data(in), in.object("aps"), liveActivity(in),
                in.text("activity"));
        if (violations.isEmpty()) {
            PushOptionsRules.check(options, violations, strict);
        }
        if (!violations.isEmpty()) {
            throw new BadPushOptionsException(violations);
        }
        return options;
    }

    private static Integer priority(FieldReader in) {
        JsonNode node = in.node("priority");
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !ApnsPriority.VALUES.contains(node.asInt())) {
            in.refuse("priority", "must be 10 (now), 5 (as power allows) or 1 (without waking the device)");
            return null;
        }
        return node.asInt();
    }

    private static Map<String, Object> data(FieldReader in) {
        Map<String, Object> data = in.object("data");
        return data == null ? Map.of() : data;
    }

    private static Alert alert(FieldReader in) {
        JsonNode node = in.node("alert");
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return new Alert(node.asText(), null, null, null, null, null, null, null, null, null, null);
        }
        if (!node.isObject()) {
            in.refuse("alert", "must be a string or an object");
            return null;
        }
        FieldReader alert = in.nested("alert");
        alert.refuseUnknown(ALERT_FIELDS);
        if (in.strict() && ALERT_TEXTS.stream().noneMatch(alert::has)) {
            in.refuse("alert", "shows nothing: give a title, subtitle or body (or titleLocKey, subtitleLocKey, locKey)");
        }
        return new Alert(null, alert.text("title"), alert.text("subtitle"), alert.text("body"), alert.text("titleLocKey"),
                alert.texts("titleLocArgs"), alert.text("subtitleLocKey"), alert.texts("subtitleLocArgs"), alert.text("locKey"),
                alert.texts("locArgs"), alert.text("launchImage"));
    }

    private static Sound sound(FieldReader in) {
        JsonNode node = in.node("sound");
        if (node == null) {
            return null;
        }
        if (node.isTextual() && !node.asText().isEmpty()) {
            return new Sound(node.asText(), false, null, null);
        }
        if (!node.isObject()) {
            in.refuse("sound", "must be a sound file name or {\"name\", \"critical\", \"volume\"}");
            return null;
        }
        FieldReader sound = in.nested("sound");
        sound.refuseUnknown(SOUND_FIELDS);
        String name = sound.text("name");
        if (name == null && !sound.has("name")) {
            sound.refuse("name", "is required");
        }
        return new Sound(name, true, sound.bool("critical"), sound.fraction("volume"));
    }

    private static LiveActivity liveActivity(FieldReader in) {
        JsonNode node = in.node("liveActivity");
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            in.refuse("liveActivity", "must be an object");
            return null;
        }
        FieldReader live = in.nested("liveActivity");
        live.refuseUnknown(LIVE_ACTIVITY_FIELDS);
        return new LiveActivity(live.oneOf("event", List.of("start", "update", "end")), live.object("contentState"),
                live.epochSeconds("timestamp"), live.epochSeconds("staleDate"), live.epochSeconds("dismissalDate"),
                live.text("attributesType"), live.object("attributes"));
    }
}
