package io.tether.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tether.contract.Platform;
import io.tether.contract.PresenceState;
import io.tether.inbox.RoutingPolicy.Action;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The routing policy (DESIGN.md §5): every platform in every presence state, and the table as the scripts read it. */
class RoutingPolicyTest {
    private final RoutingPolicy policy = RoutingPolicy.standard();

    /** {@code platform} "-" is a device whose platform the policy does not know. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "IOS,     LIVE,       LIVE",
            "IOS,     BACKGROUND, PUSH",
            "IOS,     SUSPECT,    PUSH",
            "IOS,     OFFLINE,    PUSH",
            "IPADOS,  LIVE,       LIVE",
            "IPADOS,  BACKGROUND, PUSH",
            "IPADOS,  SUSPECT,    PUSH",
            "IPADOS,  OFFLINE,    PUSH",
            "MACOS,   LIVE,       LIVE",
            "MACOS,   BACKGROUND, LIVE",
            "MACOS,   SUSPECT,    INBOX",
            "MACOS,   OFFLINE,    PUSH",
            "TVOS,    LIVE,       LIVE",
            "TVOS,    BACKGROUND, INBOX",
            "TVOS,    SUSPECT,    INBOX",
            "TVOS,    OFFLINE,    INBOX",
            "WATCHOS, LIVE,       LIVE",
            "WATCHOS, BACKGROUND, PUSH",
            "WATCHOS, SUSPECT,    PUSH",
            "WATCHOS, OFFLINE,    PUSH",
            "-,       LIVE,       LIVE",
            "-,       BACKGROUND, PUSH",
            "-,       SUSPECT,    PUSH",
            "-,       OFFLINE,    PUSH",
    })
    void eachPlatformInEachStateIsRoutedAsDesigned(String platform, PresenceState state, Action action) {
        assertEquals(action, policy.action(platform.equals("-") ? null : Platform.valueOf(platform), state));
    }

    @Test
    void theScriptsGetTheTableAsOneRowPerPlatformWithColumnsLiveBackgroundSuspectOffline() {
        assertEquals(",ios=LPPP,ipados=LPPP,macos=LLIP,tvos=LIII,watchos=LPPP,*=LPPP", policy.encoded());
    }

    @Test
    void theEncodedTableSaysWhatTheJavaTableSaysInEveryCell() {
        Map<String, String> rows = new HashMap<>();
        for (String row : policy.encoded().substring(1).split(",")) {
            String[] parts = row.split("=");
            rows.put(parts[0], parts[1]);
        }
        PresenceState[] columns = {PresenceState.LIVE, PresenceState.BACKGROUND, PresenceState.SUSPECT, PresenceState.OFFLINE};
        assertEquals(PresenceState.values().length, columns.length, "a column for every state");
        for (Platform platform : Platform.values()) {
            for (int i = 0; i < columns.length; i++) {
                assertEquals(code(policy.action(platform, columns[i])), rows.get(platform.wire()).charAt(i), platform + " " + columns[i]);
            }
        }
        for (int i = 0; i < columns.length; i++) {
            assertEquals(code(policy.action(null, columns[i])), rows.get("*").charAt(i), "unknown platform " + columns[i]);
        }
    }

    private static char code(Action action) {
        return switch (action) {
            case LIVE -> 'L';
            case PUSH -> 'P';
            case INBOX -> 'I';
        };
    }
}
