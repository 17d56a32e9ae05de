package io.tether.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class TopicProvisionerTest {
    private static final long LATER = TimeUnit.SECONDS.toNanos(30);

    @Test
    void topicsTheBrokerDoesNotKnowYetAreDescribedAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        String described = TopicProvisioner.onceKnown(System.nanoTime() + LATER, () -> {
            if (calls.incrementAndGet() < 3) {
                throw new ExecutionException(new UnknownTopicOrPartitionException("not yet"));
            }
            return "described";
        });

        assertEquals("described", described);
        assertEquals(3, calls.get());
    }

    @Test
    void anyOtherFailureEndsAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        ExecutionException refused = new ExecutionException(new TopicAuthorizationException("no"));

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> TopicProvisioner.onceKnown(System.nanoTime() + LATER, () -> {
            calls.incrementAndGet();
            throw refused;
        }));

        assertSame(refused, thrown);
        assertEquals(1, calls.get());
    }

    @Test
    void anUnknownTopicPastTheDeadlineIsTheFailure() {
        ExecutionException unknown = new ExecutionException(new UnknownTopicOrPartitionException("never"));

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> TopicProvisioner.onceKnown(System.nanoTime() - 1, () -> {
            throw unknown;
        }));

        assertSame(unknown, thrown);
    }
}
