package io.tether.fanout.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisCommandTimeoutException;
import io.tether.contract.problem.ProblemType;
import io.tether.fanout.intake.IdempotencyKeys;
import io.tether.rest.problem.ProblemException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** How one message of a batch is answered when its acceptance failed. */
class BatchSenderTest {
    @Test
    void aMessagesOwnRefusalKeepsItsProblem() {
        BatchSender.Result result = BatchSender.refused(2, new CompletionException(ProblemException.notFound("no such device")));

        assertEquals(404, result.status());
        assertEquals("/v1/messages/batch#2", result.problem().instance());
    }

    @Test
    void anOutageIs503() {
        BatchSender.Result result = BatchSender.refused(0, new CompletionException(new RedisCommandTimeoutException("timed out")));

        assertEquals(503, result.status());
        assertEquals(ProblemType.UNAVAILABLE.uri(), result.problem().type());
        assertEquals(1L, result.retryAfter(), "as a single send's Retry-After");
    }

    @Test
    void aQuotaRefusalKeepsItsRetryAfterAndAnotherRefusalHasNone() {
        BatchSender.Result quota = BatchSender.refused(3, new CompletionException(
                ProblemException.retryAfter(ProblemType.QUOTA_EXCEEDED, "the day's quota is used", 3_600)));
        assertEquals(429, quota.status());
        assertEquals(3_600L, quota.retryAfter());
        assertEquals(null, BatchSender.refused(2, ProblemException.notFound("no such device")).retryAfter());
    }

    @Test
    void aBugIs500AndTellsTheClientNothingOfTheException() {
        BatchSender.Result result = BatchSender.refused(1, new IllegalStateException("secret internals"));

        assertEquals(500, result.status());
        assertEquals(ProblemType.INTERNAL.uri(), result.problem().type());
        assertFalse(result.problem().detail().contains("secret internals"), result.problem().detail());
    }

    @Test
    void aKeyTooLongForTheSuffixOfTheBatchsLastMessageRefusesTheWholeBatchBeforeAnyIsSent() {
        // 253 characters: valid alone, and with the suffix of messages #0 to #9 (255 in all), not with that of #10.
        String key = "k".repeat(253);
        List<SendMessageRequest> eleven = java.util.Collections.nCopies(11, new SendMessageRequest(
                new SendMessageRequest.To("dev-1", null, null, null), null, null, null, null, null, null, null));
        BatchSender sender = new BatchSender(null); // no message may reach the acceptor

        ProblemException refused = org.junit.jupiter.api.Assertions.assertThrows(ProblemException.class,
                () -> sender.send(new SendBatchRequest(eleven), key, null, null, null));

        assertEquals(400, refused.status());
        assertTrue(IdempotencyKeys.isValid(IdempotencyKeys.ofBatchMessage(key, 9).value()), "the ten first would have been sent");
    }
}
