package io.tether.push.apns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApnsAnswerTest {
    private static final String BUNDLE = "com.example.chat";

    @Test
    void acceptedIsAccepted() {
        ApnsAnswer answer = ApnsAnswer.of(response(200, null, null), null);
        assertEquals(ApnsAnswer.Kind.ACCEPTED, answer.kind());
        assertFalse(answer.invalidatesToken(BUNDLE, BUNDLE));
    }

    @Test
    void aFailedSendIsRetried() {
        ApnsAnswer answer = ApnsAnswer.of(null, new CompletionException(new ClosedChannelException()));
        assertEquals(ApnsAnswer.Kind.RETRY, answer.kind());
        assertEquals("ClosedChannelException", answer.reason());
    }

    @ParameterizedTest
    @CsvSource({
            "400, BadDeviceToken, REJECTED, true",
            "400, DeviceTokenNotForTopic, REJECTED, true",
            "410, Unregistered, REJECTED, true",
            "410, ExpiredToken, REJECTED, true",
            "400, BadCollapseId, REJECTED, false",
            "403, InvalidProviderToken, REJECTED, false",
            "413, PayloadTooLarge, REJECTED, false",
            "403, ExpiredProviderToken, RETRY, false",
            "429, TooManyRequests, RETRY, false",
            "429, TooManyProviderTokenUpdates, RETRY, false",
            "500, InternalServerError, RETRY, false",
            "503, ServiceUnavailable, RETRY, false"})
    void rejectionsAreClassified(int status, String reason, ApnsAnswer.Kind kind, boolean invalidates) {
        ApnsAnswer answer = ApnsAnswer.of(response(status, reason, null), null);
        assertEquals(kind, answer.kind());
        assertEquals(reason, answer.reason());
        assertEquals(invalidates, answer.invalidatesToken(BUNDLE, BUNDLE));
    }

    @ParameterizedTest
    @CsvSource({".voip", ".push-type.liveactivity"})
    void deviceTokenNotForTopicKeepsTheTokenOnASuffixedTopic(String suffix) {
        // The token may be the app's valid one, sent on the wrong kind of topic: only the bare bundle id proves it foreign.
        ApnsAnswer answer = ApnsAnswer.of(response(400, "DeviceTokenNotForTopic", null), null);
        assertEquals(ApnsAnswer.Kind.REJECTED, answer.kind());
        assertFalse(answer.invalidatesToken(BUNDLE + suffix, BUNDLE));
        assertTrue(answer.invalidatesToken(BUNDLE, BUNDLE));
    }

    @ParameterizedTest
    @CsvSource({"410, Unregistered", "400, BadDeviceToken", "410, ExpiredToken"})
    void aDeadTokenIsDeadOnASuffixedTopicToo(int status, String reason) {
        assertTrue(ApnsAnswer.of(response(status, reason, null), null).invalidatesToken(BUNDLE + ".voip", BUNDLE));
    }

    @Test
    void status410InvalidatesWhateverTheReasonAndCarriesTheTimestamp() {
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        ApnsAnswer answer = ApnsAnswer.of(response(410, "SomethingNew", at), null);
        assertTrue(answer.invalidatesToken(BUNDLE, BUNDLE));
        assertEquals(Optional.of(at), answer.tokenInvalidatedAt());
    }

    @Test
    void rejectionWithoutReasonIsNamedByStatus() {
        assertEquals("status 400", ApnsAnswer.of(response(400, null, null), null).reason());
    }

    private static PushNotificationResponse<SimpleApnsPushNotification> response(int status, String reason, Instant invalidatedAt) {
        return new PushNotificationResponse<>() {
            @Override
            public SimpleApnsPushNotification getPushNotification() {
                return null;
            }

            @Override
            public boolean isAccepted() {
                return status == 200;
            }

            @Override
            public UUID getApnsId() {
                return UUID.randomUUID();
            }

            @Override
            public int getStatusCode() {
                return status;
            }

            @Override
            public Optional<String> getRejectionReason() {
                return Optional.ofNullable(reason);
            }

            @Override
            public Optional<Instant> getTokenInvalidationTimestamp() {
                return Optional.ofNullable(invalidatedAt);
            }
        };
    }
}
