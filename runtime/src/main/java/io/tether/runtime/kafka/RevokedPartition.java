package io.tether.runtime.kafka;

import io.tether.runtime.failure.PermanentFailure;

/**
 * A record's partition was revoked while the record waited (behind its key, or for a retry): it stops here, unhandled
 * and not dead-lettered, and its new owner handles it ({@link KeyedConsumer}).
 */
final class RevokedPartition extends PermanentFailure {
    static final RevokedPartition INSTANCE = new RevokedPartition();

    private RevokedPartition() {
        super("partition revoked");
        setStackTrace(new StackTraceElement[0]);
    }
}
