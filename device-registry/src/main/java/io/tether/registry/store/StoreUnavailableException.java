package io.tether.registry.store;

/** Redis could not be reached or did not answer in time: worth retrying later (503), not a bug. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(Throwable cause) {
        super("store unavailable: " + cause.getClass().getSimpleName(), cause);
    }
}
