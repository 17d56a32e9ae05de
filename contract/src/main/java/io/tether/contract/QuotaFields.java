package io.tether.contract;

/**
 * Fields of an app's quota hash ({@link RedisKeys#appQuota}), written by the registry, enforced by fanout (messages)
 * and the registry (devices). A missing field is no limit.
 */
public final class QuotaFields {
    /** Messages accepted per second for the app's devices, across every fanout instance. */
    public static final String MESSAGES_PER_SECOND = "messagesPerSecond";
    /** Messages accepted per UTC day for the app's devices. */
    public static final String MESSAGES_PER_DAY = "messagesPerDay";
    /** Devices the app may have registered at once. */
    public static final String DEVICES = "devices";

    private QuotaFields() {
    }
}
