package io.tether.pushoptions;

import com.eatthepath.pushy.apns.PushType;
import io.tether.contract.PushTokenSlot;
import io.tether.pushoptions.BadPushOptionsException.Violation;
import java.util.Arrays;
import java.util.List;

/**
 * Apple's rules that span fields (each field's own type is checked as it is read): what a Live Activity
 * notification needs and may not carry, which activity it addresses, reserved data keys, and the priority rules of
 * {@link ApnsPriority}.
 */
final class PushOptionsRules {
    /**
     * The push types Tether has a token for ({@link PushOptions#tokenSlot()}). Apple's others (location, pushtotalk,
     * complication, fileprovider, mdm) each need a token Tether does not keep: sent to the standard token, APNs
     * answers DeviceTokenNotForTopic.
     */
    static final List<String> PUSH_TYPES = List.of("alert", "background", "voip", "liveactivity");
    private static final List<String> APPLE_PUSH_TYPES = Arrays.stream(PushType.values()).map(PushType::getHeaderValue).toList();
    static final List<String> INTERRUPTION_LEVELS = List.of("passive", "active", "time-sensitive", "critical");
    /** Options of a regular notification that ActivityKit notifications do not have. */
    private static final List<String> NOT_FOR_LIVE_ACTIVITIES = List.of("badge", "category", "threadId", "contentAvailable",
            "mutableContent", "targetContentId", "data");

    private PushOptionsRules() {
    }

    /** apns-push-type as given: one Tether has a token for; else refused, saying why. */
    static String pushType(FieldReader in) {
        String value = in.text("pushType");
        if (value == null || PUSH_TYPES.contains(value)) {
            return value;
        }
        in.refuse("pushType", APPLE_PUSH_TYPES.contains(value)
                ? "cannot be " + value + ": Tether has no token slot for it (it keeps the standard, VoIP, push-to-start "
                        + "and Live Activity tokens); one of " + String.join(", ", PUSH_TYPES)
                : "must be one of " + String.join(", ", PUSH_TYPES));
        return null;
    }

    /** @param strict fanout's check: also the rules a request accepted by an earlier version may break */
    static void check(PushOptions options, List<Violation> violations, boolean strict) {
        for (String key : options.data().keySet()) {
            if (key.equals("aps") || key.equals(TetherData.KEY)) {
                violations.add(new Violation("push.data." + key, "is reserved"));
            }
        }
        if (options.liveActivity() != null && options.pushType() != null && !options.pushType().equals("liveactivity")) {
            violations.add(new Violation("push.pushType", "must be liveactivity (or left out) with push.liveActivity"));
        }
        if (options.liveActivity() == null && "liveactivity".equals(options.pushType())) {
            violations.add(new Violation("push.liveActivity", "is required for pushType liveactivity"));
        }
        if (strict && options.type() == PushType.BACKGROUND) {
            background(options, violations);
        }
        if (options.liveActivity() != null) {
            liveActivity(options, violations, strict);
        } else if (options.activity() != null) {
            violations.add(new Violation("to.activity", "only Live Activity messages (push.liveActivity) address an activity"));
        }
        if (violations.isEmpty()) {
            ApnsPriority.check(options, violations, strict);
        }
    }

    /** A background push only wakes the app: Apple forbids what would alert, play a sound or badge. */
    private static void background(PushOptions options, List<Violation> violations) {
        String why = "must be left out of a background push: it wakes the app without alerting, sounding or badging "
                + "(pushType alert does those)";
        if (options.alert() != null) {
            violations.add(new Violation("push.alert", why));
        }
        if (options.sound() != null) {
            violations.add(new Violation("push.sound", why));
        }
        if (options.badge() != null) {
            violations.add(new Violation("push.badge", why));
        }
        if (options.aps() != null) {
            PushOptions.VISIBLE_APS_KEYS.stream().filter(key -> options.aps().get(key) != null)
                    .forEach(key -> violations.add(new Violation("push.aps." + key, why)));
        }
    }

    private static void liveActivity(PushOptions options, List<Violation> violations, boolean strict) {
        PushOptions.LiveActivity live = options.liveActivity();
        if (live.event() == null) {
            violations.add(new Violation("push.liveActivity.event", "is required: start, update or end"));
            return;
        }
        if (live.contentState() == null && !live.event().equals("end")) {
            violations.add(new Violation("push.liveActivity.contentState", "is required to " + live.event() + " a Live Activity"));
        }
        if (live.isStart()) {
            if (live.attributesType() == null) {
                violations.add(new Violation("push.liveActivity.attributesType", "is required to start a Live Activity"));
            } else if (!PushTokenSlot.isValidQualifier(live.attributesType())) {
                violations.add(new Violation("push.liveActivity.attributesType", "must be " + PushTokenSlot.QUALIFIER_RULE));
            }
            if (live.attributes() == null) {
                violations.add(new Violation("push.liveActivity.attributes", "is required to start a Live Activity"));
            }
            PushOptions.Alert alert = options.alert();
            if (alert == null || alert.text() != null || strict && (alert.title() == null || alert.body() == null)) {
                // A start announces the activity with an alert of both title and body (README, Live Activities).
                violations.add(new Violation("push.alert", "is required to start a Live Activity: {\"title\", \"body\"}"));
            }
            if (options.activity() != null) {
                violations.add(new Violation("to.activity", "must be left out of a start: it goes to the device's "
                        + "push-to-start token of push.liveActivity.attributesType"));
            }
        } else {
            if (live.attributesType() != null || live.attributes() != null) {
                violations.add(new Violation(live.attributesType() != null ? "push.liveActivity.attributesType"
                        : "push.liveActivity.attributes", "belongs to a start only"));
            }
            if (options.activity() == null) {
                violations.add(new Violation("to.activity", "is required to " + live.event() + " a Live Activity: its id"));
            } else if (!PushTokenSlot.isValidQualifier(options.activity())) {
                violations.add(new Violation("to.activity", "must be " + PushTokenSlot.QUALIFIER_RULE));
            }
        }
        if (live.dismissalDate() != null && !live.event().equals("end")) {
            violations.add(new Violation("push.liveActivity.dismissalDate", "belongs to an end only"));
        }
        for (String field : NOT_FOR_LIVE_ACTIVITIES) {
            if (given(options, field)) {
                violations.add(new Violation("push." + field, "is not part of a Live Activity notification"));
            }
        }
    }

    private static boolean given(PushOptions options, String field) {
        return switch (field) {
            case "badge" -> options.badge() != null;
            case "category" -> options.category() != null;
            case "threadId" -> options.threadId() != null;
            case "contentAvailable" -> options.contentAvailable() != null;
            case "mutableContent" -> options.mutableContent() != null;
            case "targetContentId" -> options.targetContentId() != null;
            case "data" -> !options.data().isEmpty();
            default -> false;
        };
    }
}
