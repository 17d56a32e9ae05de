package io.tether.registry.device;

/** Redis could not be reached or did not answer in time: worth retrying later (503), not a bug. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(Throwable cause) {
        super("device store unavailable: " + cause.getClass().getSimpleName(), cause);
    }
}
