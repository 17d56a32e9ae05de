package io.tether.runtime.failure;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Tether's one error classification, used by every consumer: a <b>permanent</b> failure will fail again however
 * often it is retried (a malformed record, a Redis script refusing its input): the record goes to the dead-letter
 * topic with the reason and its partition moves on. Anything else is <b>transient</b> (Redis or Kafka unreachable,
 * a failover in progress, a timeout) and is retried with backoff, because dropping it would lose data. Unknown
 * failures count as transient: retrying something permanent costs time, dropping something transient loses a message.
 */
public final class Failures {
    /** Redis error replies that mean "not now" rather than "never": loading, failover, memory, cluster moves. */
    private static final List<String> TRANSIENT_REDIS_REPLIES = List.of("LOADING", "READONLY", "MASTERDOWN", "BUSY", "OOM",
            "CLUSTERDOWN", "TRYAGAIN", "MOVED", "ASK", "NOREPLICAS", "NOSCRIPT");

    private Failures() {
    }

    public static boolean isPermanent(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof PermanentFailure || cause instanceof IllegalArgumentException
                || cause instanceof SerializationException || cause instanceof RecordTooLargeException) {
            return true;
        }
        if (cause instanceof RedisCommandExecutionException redis) {
            String reply = String.valueOf(redis.getMessage());
            return TRANSIENT_REDIS_REPLIES.stream().noneMatch(reply::startsWith);
        }
        if (cause instanceof KafkaException && !(cause instanceof RetriableException)) {
            // e.g. an authorization failure: not this record's fault, and not fixed by dropping it.
            return false;
        }
        return false;
    }

    /** An outage worth waiting for (Redis or Kafka away, a timeout); what retries with backoff. */
    public static boolean isTransient(Throwable failure) {
        return !isPermanent(failure);
    }

    /** The reason recorded with a dead letter. */
    public static String reason(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** For the logs: an outage, as opposed to a bug. */
    public static boolean isOutage(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof RedisException && !(cause instanceof RedisCommandExecutionException)
                || cause instanceof KafkaException || cause instanceof TimeoutException || cause instanceof IOException;
    }
}
