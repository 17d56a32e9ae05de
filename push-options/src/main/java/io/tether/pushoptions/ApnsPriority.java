package io.tether.pushoptions;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import io.tether.pushoptions.BadPushOptionsException.Violation;
import java.util.List;

/**
 * apns-priority, with Apple's rules: 10 delivers now, 5 as the device's power allows, 1 only when the device is
 * awake anyway. A notification whose aps has content-available and nothing that alerts (a background push, or an
 * alert push without alert, sound or badge) may not use 10. ActivityKit budgets priority-10 updates per activity, so
 * a Live Activity notification is sent at 10 only when it alerts (or is told to).
 */
public final class ApnsPriority {
    static final List<Integer> VALUES = List.of(10, 5, 1);

    private ApnsPriority() {
    }

    /** The priority to send (the options already passed {@link #check}). */
    public static DeliveryPriority of(PushOptions options) {
        if (options.priority() != null) {
            return DeliveryPriority.getFromCode(options.priority());
        }
        if (isContentOnly(options) || options.type() == PushType.BACKGROUND) {
            // A background push is 5 whatever it carries: one an earlier fanout accepted with a badge included.
            return DeliveryPriority.CONSERVE_POWER;
        }
        return switch (options.type()) {
            case LIVE_ACTIVITY -> options.alert() != null ? DeliveryPriority.IMMEDIATE : DeliveryPriority.CONSERVE_POWER;
            default -> DeliveryPriority.IMMEDIATE;
        };
    }

    /**
     * Whether the aps sent carries content-available and nothing that alerts: Apple calls priority 10 an error for it.
     * VoIP (PushKit) and Live Activities have rules of their own.
     */
    static boolean isContentOnly(PushOptions options) {
        PushType type = options.type();
        boolean contentAvailable = type == PushType.BACKGROUND || Boolean.TRUE.equals(options.contentAvailable())
                || options.aps() != null && options.aps().get("content-available") != null;
        return (type == PushType.BACKGROUND || type == PushType.ALERT) && contentAvailable && !options.isVisibleWithAps();
    }

    /** @param strict fanout's check; push-service refuses 10 only for a background push, as earlier versions did */
    static void check(PushOptions options, List<Violation> violations, boolean strict) {
        Integer priority = options.priority();
        if (priority == null) {
            return;
        }
        if (priority == 1) {
            // Pushy 0.15.4 (the newest release that resolves here) models only 10 and 5 (jchambers/pushy#1088).
            violations.add(new Violation("push.priority", "1 cannot be sent yet: the APNs client (Pushy 0.15.4) sends only 10 or 5"));
        } else if (priority == 10 && (strict ? isContentOnly(options) : options.type() == PushType.BACKGROUND)) {
            violations.add(new Violation("push.priority", "must be 5 for a background push: APNs refuses 10 without an alert, sound or badge"));
        }
    }
}
