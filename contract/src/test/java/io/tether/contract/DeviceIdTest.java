package io.tether.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link DeviceId#isValid} accepts exactly what the documented pattern {@code [A-Za-z0-9._-]{1,64}} accepts. */
class DeviceIdTest {
    private static final Pattern DOCUMENTED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Test
    void everyAllowedCharacterAndLengthBoundIsAcceptedAndNothingElse() {
        assertTrue(DeviceId.isValid("az-AZ_09.x"));
        assertTrue(DeviceId.isValid("a"));
        assertTrue(DeviceId.isValid("d".repeat(64)));
        assertFalse(DeviceId.isValid("d".repeat(65)));
        assertFalse(DeviceId.isValid(""));
        assertFalse(DeviceId.isValid(null));
        for (String bad : new String[] {"a/b", "a+", "#", "{d:x}", "user:alice", "a b", "é", "\uff10", "a\n"}) {
            assertFalse(DeviceId.isValid(bad), bad);
        }
    }

    @Test
    void agreesWithTheDocumentedPatternOnEveryCharacterBelow0x180AndOnRandomStrings() {
        for (char c = 0; c < 0x180; c++) {
            String one = String.valueOf(c);
            assertEquals(DOCUMENTED.matcher(one).matches(), DeviceId.isValid(one), "U+" + Integer.toHexString(c));
        }
        SplittableRandom random = new SplittableRandom(42);
        String alphabet = "aZ09._-/+#{}: é";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(70);
            for (int i = 0; i < length; i++) {
                id.append(random.nextInt(10) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : 'x');
            }
            String s = id.toString();
            assertEquals(DOCUMENTED.matcher(s).matches(), DeviceId.isValid(s), s);
        }
    }
}
