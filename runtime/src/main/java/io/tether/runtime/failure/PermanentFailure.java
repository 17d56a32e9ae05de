package io.tether.runtime.failure;

/** A record that can never be handled, whatever is retried: it goes to the dead-letter topic with this message. */
public class PermanentFailure extends RuntimeException {
    public PermanentFailure(String message) {
        super(message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
