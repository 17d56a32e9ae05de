package io.tether.inbox;

import io.tether.contract.Platform;
import io.tether.contract.PresenceState;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where a message for a device goes, by platform and presence state (DESIGN.md §5): live over its MQTT connection,
 * through APNs while it stays in the inbox, or only into the inbox. The one place this is decided; the inbox scripts
 * receive the table as an argument and only look it up (the device's state is read inside the script, atomically).
 * A live delivery also needs the connection to have subscribed; push also needs a push token.
 */
public final class RoutingPolicy {

    /** What happens to a message for a device in one state. */
    public enum Action {
        LIVE('L'), PUSH('P'), INBOX('I');

        final char code;

        Action(char code) {
            this.code = code;
        }
    }

    private final Map<Platform, Map<PresenceState, Action>> table = new EnumMap<>(Platform.class);
    private final Map<PresenceState, Action> unknownPlatform;

    private RoutingPolicy() {
        // iOS and iPadOS suspend apps: live only in the foreground, push whenever not.
        table.put(Platform.IOS, row(Action.LIVE, Action.PUSH, Action.PUSH, Action.PUSH));
        table.put(Platform.IPADOS, row(Action.LIVE, Action.PUSH, Action.PUSH, Action.PUSH));
        // macOS apps run in the background: live while connected in any app state, push only when offline.
        table.put(Platform.MACOS, row(Action.LIVE, Action.LIVE, Action.INBOX, Action.PUSH));
        // tvOS has no push: the inbox, delivered on reconnect.
        table.put(Platform.TVOS, row(Action.LIVE, Action.INBOX, Action.INBOX, Action.INBOX));
        // watchOS: push unless live.
        table.put(Platform.WATCHOS, row(Action.LIVE, Action.PUSH, Action.PUSH, Action.PUSH));
        unknownPlatform = row(Action.LIVE, Action.PUSH, Action.PUSH, Action.PUSH);
    }

    private static final RoutingPolicy STANDARD = new RoutingPolicy();

    public static RoutingPolicy standard() {
        return STANDARD;
    }

    /**
     * Messages only APNs can carry go to push whatever the presence, one push each, and never into the inbox or over
     * MQTT: a Live Activity event (it updates a widget, the app gets nothing) and a VoIP call (its data is in the
     * push, which wakes the app through PushKit at once). {@code apnsPushType} is the apns-push-type header value.
     */
    public static boolean isDirectPush(String apnsPushType) {
        return "liveactivity".equals(apnsPushType) || "voip".equals(apnsPushType);
    }

    public Action action(Platform platform, PresenceState state) {
        return (platform == null ? unknownPlatform : table.get(platform)).get(state);
    }

    /** The table as the scripts read it: {@code ,ios=LPPP,...,*=LPPP} with columns LIVE, BACKGROUND, SUSPECT, OFFLINE. */
    public String encoded() {
        StringBuilder out = new StringBuilder();
        table.forEach((platform, row) -> out.append(',').append(platform.wire()).append('=').append(encode(row)));
        return out.append(",*=").append(encode(unknownPlatform)).toString();
    }

    private static String encode(Map<PresenceState, Action> row) {
        StringBuilder out = new StringBuilder();
        for (PresenceState state : new PresenceState[] {PresenceState.LIVE, PresenceState.BACKGROUND, PresenceState.SUSPECT,
                PresenceState.OFFLINE}) {
            out.append(row.get(state).code);
        }
        return out.toString();
    }

    private static Map<PresenceState, Action> row(Action live, Action background, Action suspect, Action offline) {
        Map<PresenceState, Action> row = new EnumMap<>(PresenceState.class);
        row.put(PresenceState.LIVE, live);
        row.put(PresenceState.BACKGROUND, background);
        row.put(PresenceState.SUSPECT, suspect);
        row.put(PresenceState.OFFLINE, offline);
        return row;
    }
}
