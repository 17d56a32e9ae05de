package io.tether.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricTagsTest {

    @Test
    void aReasonLabelIsItsFirstWordOnly() {
        assertEquals("BadDeviceToken", MetricTags.reason("BadDeviceToken (environment mismatch? token registered as sandbox)"));
        assertEquals("retries-exhausted", MetricTags.reason("retries-exhausted: ClosedChannelException: gone"));
        assertEquals("push-failed", MetricTags.reason("push-failed: anything at all"));
        assertEquals("puback-0x87", MetricTags.reason("puback-0x87"));
        assertEquals("Unregistered", MetricTags.reason("Unregistered"));
    }

    @Test
    void noReasonIsNone() {
        assertEquals("none", MetricTags.reason(null));
        assertEquals("none", MetricTags.reason(" "));
        assertEquals("none", MetricTags.reason(": after a colon"));
    }

    @Test
    void aLongFirstWordIsCut() {
        assertEquals(64, MetricTags.reason("x".repeat(200)).length());
    }
}
