package io.tether.push.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PushMetricsTest {

    @Test
    void reasonTagsAreTheFirstWordOnly() {
        assertEquals("BadDeviceToken", PushMetrics.reasonTag("BadDeviceToken (environment mismatch? token registered as sandbox)"));
        assertEquals("retries-exhausted", PushMetrics.reasonTag("retries-exhausted: ClosedChannelException: gone"));
        assertEquals("bad-push-options", PushMetrics.reasonTag("bad-push-options: badge must be a non-negative integer"));
        assertEquals("Unregistered", PushMetrics.reasonTag("Unregistered"));
        assertEquals("none", PushMetrics.reasonTag(null));
    }
}
