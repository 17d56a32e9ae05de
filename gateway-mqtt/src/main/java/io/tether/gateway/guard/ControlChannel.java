package io.tether.gateway.guard;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.tether.contract.DeviceId;
import io.tether.contract.RedisKeys;
import io.tether.contract.TakeoverNotice;
import io.tether.contract.WillNotice;
import io.tether.gateway.mqtt.DeviceAuthenticator;
import io.tether.gateway.mqtt.PendingWills;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * What this gateway hears about the sessions it holds, on one pub/sub connection: the registry's credential changes
 * ({@code tether:credential-changes}: device ids whose credentials were rotated or revoked, or that were deleted) and
 * this gateway's control channel ({@code tether:control:<gatewayId>}: takeover notices, and will notices that settle a
 * delayed will held here). Pub/sub loses messages only while the subscription is down, so every time it comes back
 * (Lettuce reconnects and subscribes again) every connection is checked and every cached password check dropped: a
 * revocation or takeover announced meanwhile still takes effect, and every delayed will held here asks Redis whether
 * it was decided ({@link PendingWills#recheckAll}): a will notice lost meanwhile does not leave it waiting its delay.
 */
public final class ControlChannel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlChannel.class);

    private final StatefulRedisPubSubConnection<String, String> connection;
    private final String control;

    /**
     * @param authenticator its cached password checks are dropped with every change, and all of them after a loss
     * @param wills         the delayed wills held here, which will notices settle and which ask Redis again after a loss
     */
    public ControlChannel(RedisClient client, String gatewayId, SessionAudit audit, DeviceAuthenticator authenticator,
            PendingWills wills) {
        this.control = RedisKeys.controlChannel(gatewayId);
        this.connection = client.connectPubSub();
        connection.addListener(new Listener(control, audit, authenticator,
                notice -> wills.settle(notice.deviceId(), notice.epoch(), notice.resumed()), wills::recheckAll));
    }

    /** Where each message goes, and what is done when the subscription comes back. */
    static final class Listener extends RedisPubSubAdapter<String, String> {
        private final String control;
        private final SessionAudit audit;
        private final DeviceAuthenticator authenticator;
        private final Consumer<WillNotice> willNotices;
        private final IntSupplier recheckWills;
        private volatile boolean subscribedOnce;

        /**
         * @param willNotices  takes each will notice heard on {@code control}
         * @param recheckWills has every held will ask Redis again (a will notice may have been missed); returns how many,
         *                     negative when a recheck is still going
         */
        Listener(String control, SessionAudit audit, DeviceAuthenticator authenticator, Consumer<WillNotice> willNotices,
                IntSupplier recheckWills) {
            this.control = control;
            this.audit = audit;
            this.authenticator = authenticator;
            this.willNotices = willNotices;
            this.recheckWills = recheckWills;
        }

        @Override
        public void message(String channel, String message) {
            if (channel.equals(control)) {
                try {
                    if (WillNotice.isOne(message)) {
                        willNotices.accept(WillNotice.parse(message));
                    } else {
                        audit.takenOver(TakeoverNotice.parse(message));
                    }
                } catch (IllegalArgumentException e) {
                    LOG.warnf("dropping a malformed message on %s", control);
                }
            } else if (DeviceId.isValid(message)) {
                authenticator.forget(message);
                audit.credentialsChanged(message);
            }
        }

        @Override
        public void subscribed(String channel, long count) {
            if (count < 2) {
                return; // the count of channels this connection is subscribed to: both only from the second
            }
            if (subscribedOnce) {
                LOG.infof("control channel %s subscribed again: checking every connection held here", control);
                // Each step on its own: one that throws does not keep the others from running.
                step("dropping the cached password checks", authenticator::forgetAll);
                step("checking every connection", audit::checkAll);
                step("rechecking the delayed wills", () -> {
                    int wills = recheckWills.getAsInt();
                    if (wills > 0) {
                        LOG.infof("control channel %s subscribed again: %d delayed wills held here ask Redis whether they"
                                + " were decided, %d at a time", control, wills, PendingWills.RECHECK_BATCH);
                    } else if (wills < 0) {
                        LOG.infof("control channel %s subscribed again: the delayed wills held here are still asking Redis"
                                + " since the last time; they all ask again once that is done", control);
                    }
                });
            }
            subscribedOnce = true;
        }

        private void step(String what, Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "control channel %s subscribed again: %s failed", control, what);
            }
        }
    }

    /** Subscribes; returns once Redis confirmed (at start-up, before the MQTT ports open). */
    public void start(Duration timeout) throws Exception {
        connection.async().subscribe(RedisKeys.credentialChanges(), control).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        connection.close();
    }
}
