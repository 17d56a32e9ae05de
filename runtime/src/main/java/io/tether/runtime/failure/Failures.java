package io.tether.runtime.failure;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Tether's one error classification, used by every consumer. <b>Transient</b>: an outage that passes (Redis or Kafka
 * unreachable or timing out, a failover in progress, a Redis reply like LOADING or READONLY, the client's own queue
 * full) — retried with backoff, because dropping it would lose a message. <b>Permanent</b>: everything else (a
 * malformed record, a script refusing its input, a bug) — retrying would fail again and hold up the record's device,
 * so the record goes to the dead-letter topic with the reason, where nothing is lost and it can be replayed.
 * <b>Outage</b>, for answers to requests ({@link #isOutage}): the narrower part of transient that a client should retry.
 */
public final class Failures {
    /** Redis error replies that mean "not now" rather than "never": loading, failover, memory, cluster moves. */
    private static final List<String> TRANSIENT_REDIS_REPLIES = List.of("LOADING", "READONLY", "MASTERDOWN", "BUSY", "OOM",
            "CLUSTERDOWN", "TRYAGAIN", "MOVED", "ASK", "NOREPLICAS", "NOSCRIPT");

    /** Redis error replies refusing a client's credentials or rights: WRONGPASS (Redis 6+), NOAUTH, NOPERM (ACL). */
    private static final List<String> CREDENTIAL_REFUSALS = List.of("WRONGPASS", "NOAUTH", "NOPERM");

    private Failures() {
    }

    public static boolean isPermanent(Throwable failure) {
        return !isTransient(failure);
    }

    /** An outage worth waiting for: what retries with backoff. */
    public static boolean isTransient(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof PermanentFailure) {
            return false;
        }
        if (cause instanceof RedisCommandExecutionException redis) {
            return isTransientReply(redis);
        }
        if (cause instanceof SerializationException || cause instanceof RecordTooLargeException) {
            return false;
        }
        // Any other Kafka failure (retriable, or e.g. authorization) is fixed outside this record: keep it.
        return cause instanceof RedisException || cause instanceof KafkaException || cause instanceof TimeoutException
                || cause instanceof IOException || cause instanceof java.io.UncheckedIOException
                || cause instanceof java.util.concurrent.RejectedExecutionException;
    }

    /**
     * A store a request needs did not answer or cannot take writes now (Redis unreachable, timing out, loading, full;
     * a retriable Kafka error such as a timeout): what REST answers 503 with Retry-After, not 500. Narrower than
     * {@link #isTransient}: an I/O or a Kafka failure of another kind is no reason for a client to retry. It names no
     * Kafka class, so it also runs in a service without Kafka's client.
     */
    public static boolean isOutage(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RedisCommandExecutionException redis) {
            return isTransientReply(redis);
        }
        return cause instanceof RedisException || cause instanceof TimeoutException
                || isA(cause, "org.apache.kafka.common.errors.RetriableException");
    }

    /**
     * Redis's reply when it refused this client's credentials (a wrong password or user, none given where one is
     * required, or a user without the rights a command needs: a setting to fix), else empty. A running service treats
     * such a refusal as transient (records are kept and retried, REST answers 503: it is fixed outside the record, as
     * a Kafka authorization error is); start-up stops at once on it ({@code InitialConnect}). The reply names no secret.
     */
    public static Optional<String> credentialRefusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RedisCommandExecutionException redis) {
                String reply = String.valueOf(redis.getMessage());
                if (CREDENTIAL_REFUSALS.stream().anyMatch(reply::startsWith)) {
                    return Optional.of(reply);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Redis replies that mean "not now", or a refusal of the credentials, fixed outside the record. Before Redis 7 an
     * OOM refusal inside a script came as "ERR Error running script ...: OOM command not allowed ...", hence the last
     * check.
     */
    private static boolean isTransientReply(RedisCommandExecutionException redis) {
        String reply = String.valueOf(redis.getMessage());
        return TRANSIENT_REDIS_REPLIES.stream().anyMatch(reply::startsWith)
                || CREDENTIAL_REFUSALS.stream().anyMatch(reply::startsWith) || reply.contains("OOM command not allowed");
    }

    /** Whether {@code failure}'s class or a superclass has this name (without loading a class the service may lack). */
    private static boolean isA(Throwable failure, String className) {
        for (Class<?> c = failure.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    /** The reason recorded with a dead letter: the message of a refusal, the exception and message of a bug. */
    public static String reason(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof PermanentFailure || cause instanceof IllegalArgumentException) {
            return String.valueOf(cause.getMessage());
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

}
