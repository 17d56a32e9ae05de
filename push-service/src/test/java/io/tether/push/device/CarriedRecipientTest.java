package io.tether.push.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tether.contract.PushRecipient;
import io.tether.contract.PushRequest;
import io.tether.contract.PushTokenSlot;
import io.tether.push.apns.ApnsEnvironment;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When push-service may send to the token fanout carried instead of reading the registry. */
class CarriedRecipientTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String TOKEN = "ab".repeat(32);

    @Test
    void aTokenReadWithinTheBoundEitherWayIsUsedAsTheTarget() {
        PushTarget expected = new PushTarget("dev-1", "ios", "com.example.app", PushTokenSlot.ALERT, TOKEN, ApnsEnvironment.SANDBOX, 5);
        assertEquals(Optional.of(expected), target(recipient(TOKEN, NOW - CarriedRecipient.MAX_AGE_MS), PushTokenSlot.ALERT));
        assertEquals(Optional.of(expected), target(recipient(TOKEN, NOW + CarriedRecipient.MAX_AGE_MS), PushTokenSlot.ALERT),
                "fanout's clock a little ahead of this one");
    }

    @Test
    void aTokenReadBeyondTheBoundEitherWayIsNotUsed() {
        assertTrue(target(recipient(TOKEN, NOW - CarriedRecipient.MAX_AGE_MS - 1), PushTokenSlot.ALERT).isEmpty());
        assertTrue(target(recipient(TOKEN, NOW + CarriedRecipient.MAX_AGE_MS + 1), PushTokenSlot.ALERT).isEmpty());
    }

    @Test
    void noRecipientAnEmptyTokenOrAnotherKindOfTokenMeanTheRegistryIsRead() {
        assertTrue(target(null, PushTokenSlot.ALERT).isEmpty());
        assertTrue(target(recipient("", NOW), PushTokenSlot.ALERT).isEmpty());
        assertTrue(target(recipient(TOKEN, NOW), PushTokenSlot.VOIP).isEmpty());
    }

    private static PushRecipient recipient(String token, long readAt) {
        return new PushRecipient(token, "sandbox", "com.example.app", "ios", 5, readAt);
    }

    private static Optional<PushTarget> target(PushRecipient recipient, PushTokenSlot slot) {
        PushRequest request = new PushRequest("dev-1", "msg_1", NOW, NOW + 60_000, null, null, null, null, "deaf", null, recipient);
        return CarriedRecipient.target(request, slot, NOW);
    }
}
