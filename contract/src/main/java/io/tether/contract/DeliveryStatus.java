package io.tether.contract;

import java.util.Locale;

/** Status of a message for one device; {@link #isFinal()} ones never change again. */
public enum DeliveryStatus {
    QUEUED, PUSHED, DELIVERED, EXPIRED, FAILED;

    public boolean isFinal() {
        return this == DELIVERED || this == EXPIRED || this == FAILED;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
