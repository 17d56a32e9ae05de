package io.tether.push.apns;

import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Which configured app serves a device's bundle id, and where its notifications go in the device's environment.
 * {@link ApnsClients} in production; the push pipeline sees only this, so its decisions are unit-tested without
 * Pushy's network clients.
 */
public interface ApnsRoutes {

    /**
     * Hands one notification to APNs: a Pushy client's {@code sendNotification}. The future completes with APNs'
     * answer, or fails when the send did not happen.
     */
    @FunctionalInterface
    interface Sender {
        CompletableFuture<? extends PushNotificationResponse<SimpleApnsPushNotification>> send(SimpleApnsPushNotification push);
    }

    /** An app and the sender for one environment. */
    record Route(ApnsApp app, Sender sender) {
    }

    /** The app serving a bundle id (its own, else the catch-all app {@code *}); empty when none does. */
    Optional<Route> resolve(String bundleId, ApnsEnvironment environment);
}
