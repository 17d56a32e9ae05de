package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tether.contract.PushTokenSlot;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The {@code $tether/push-token} signal, for every kind of token. */
class PushTokenReportTest {
    private static final String HEX = "AB".repeat(32);

    @Test
    void theStandardTokenIsReportedAsBefore() {
        PushTokenReport report = parse("{\"token\": \"" + HEX + "\", \"environment\": \"sandbox\"}");
        assertEquals(PushTokenSlot.ALERT, report.slot());
        assertEquals(HEX.toLowerCase(), report.token());
        assertEquals("sandbox", report.environment());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"kind\": \"voip\", \"token\": \"%s\"}                                              | voip",
            "{\"kind\": \"pushToStart\", \"activityType\": \"DeliveryAttributes\", \"token\": \"%s\"} | pushToStart DeliveryAttributes",
            "{\"kind\": \"liveActivity\", \"activityId\": \"A-1\", \"token\": \"%s\"}             | liveActivity A-1"})
    void otherKindsNameTheirSlot(String json, String slot) {
        assertEquals(slot, parse(json.formatted(HEX)).slot().toString());
    }

    @Test
    void aNullTokenRemovesTheKind() {
        PushTokenReport report = parse("{\"kind\": \"liveActivity\", \"activityId\": \"A-1\", \"token\": null}");
        assertEquals(PushTokenSlot.liveActivity("A-1"), report.slot());
        assertNull(report.token());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"kind\": \"fax\", \"token\": \"%s\"}                        | kind must be alert, voip, pushToStart or liveActivity",
            "{\"kind\": \"pushToStart\", \"token\": \"%s\"}                | pushToStart needs activityType: 1 to 128 letters, digits, '.', '_' or '-'",
            "{\"kind\": \"liveActivity\", \"activityId\": \"a:b\", \"token\": \"%s\"} | liveActivity needs activityId: 1 to 128 letters, digits, '.', '_' or '-'",
            "{\"kind\": \"voip\"}                                          | push token report needs a token (null to remove it)",
            "{\"kind\": \"voip\", \"token\": \"xyz\"}                      | push token must be hex",
            "{\"token\": \"%s\", \"environment\": \"staging\"}             | environment must be sandbox or production"})
    void badReportsAreRefusedWithAReason(String json, String reason) {
        assertEquals(reason, assertThrows(IllegalArgumentException.class, () -> parse(json.formatted(HEX))).getMessage());
    }

    private static PushTokenReport parse(String json) {
        return PushTokenReport.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
