package io.tether.chaos.device;

import io.tether.testkit.Poll;
import java.time.Duration;

/** The first connect of an app: retried until {@code timeout}, since Paho reconnects on its own only after one success. */
final class Connecting {
    private Connecting() {
    }

    /** A connect attempt that throws when it fails. */
    interface Attempt {
        void run() throws Exception;
    }

    static void retry(String deviceId, Duration timeout, Attempt attempt) {
        Exception[] last = new Exception[1];
        boolean connected = Poll.until(timeout, Duration.ofMillis(500), () -> {
            try {
                attempt.run();
                return true;
            } catch (Exception e) {
                last[0] = e;
                return false;
            }
        });
        if (!connected) {
            throw new IllegalStateException(deviceId + " could not connect within " + timeout + ": " + last[0], last[0]);
        }
    }
}
