package io.tether.push.notification;

/** The message's push options cannot become a notification; the push fails for good with this reason. */
public final class BadPushOptionsException extends RuntimeException {
    public BadPushOptionsException(String message) {
        super(message);
    }
}
