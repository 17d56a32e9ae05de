package io.tether.push.pipeline;

import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.tether.contract.PushTokenSlot;
import io.tether.push.apns.ApnsApp;
import io.tether.push.apns.ApnsEnvironment;
import io.tether.push.apns.ApnsRoutes;
import io.tether.push.device.PushTarget;
import io.tether.push.device.PushTargets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/** Stand-ins for the push pipeline's registry, APNs and clock: in memory, answering what each test scripts. */
final class PushFakes {
    private PushFakes() {
    }

    /** The registry: devices by id, each with one token slot; records every invalidation asked for. */
    static final class Registry implements PushTargets {
        record Invalidation(String deviceId, PushTokenSlot slot, String token, Optional<Instant> invalidatedAt) {
        }

        final Map<String, PushTarget> devices = new HashMap<>();
        final List<PushTokenSlot> lookedUp = new ArrayList<>();
        final List<Invalidation> invalidations = new ArrayList<>();
        /** What invalidateToken answers: false when the app registered the token again meanwhile. */
        boolean tokenStillTheSame = true;
        /** When set, every read fails with it (Redis away). */
        RuntimeException failure;

        void add(PushTarget device) {
            devices.put(device.deviceId(), device);
        }

        @Override
        public CompletionStage<Optional<PushTarget>> find(String deviceId, PushTokenSlot slot) {
            lookedUp.add(slot);
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            PushTarget device = devices.get(deviceId);
            // Like the registry: the device is found whatever slot is asked, with that slot's token or none.
            return CompletableFuture.completedFuture(Optional.ofNullable(device).map(d -> d.slot().equals(slot) ? d
                    : new PushTarget(d.deviceId(), d.platform(), d.appId(), slot, null, d.environment(), 0)));
        }

        @Override
        public CompletionStage<Boolean> invalidateToken(String deviceId, PushTokenSlot slot, String token, Optional<Instant> invalidatedAt) {
            invalidations.add(new Invalidation(deviceId, slot, token, invalidatedAt));
            return CompletableFuture.completedFuture(tokenStillTheSame);
        }
    }

    /** APNs: the configured apps (one sender for all), the notifications handed over and the scripted answers. */
    static final class Apns implements ApnsRoutes {
        /** One scripted answer: a response, or a send that failed. */
        interface Answer {
            CompletableFuture<PushNotificationResponse<SimpleApnsPushNotification>> to(SimpleApnsPushNotification push);
        }

        final Map<String, ApnsApp> apps = new HashMap<>();
        final List<SimpleApnsPushNotification> sent = new ArrayList<>();
        final List<ApnsEnvironment> environments = new ArrayList<>();
        private final Deque<Answer> answers = new ArrayDeque<>();

        void add(ApnsApp app) {
            apps.put(app.bundleId(), app);
        }

        /** The next sends are answered so, in order; once they are used up every send is accepted. */
        void answer(Answer... next) {
            answers.addAll(List.of(next));
        }

        @Override
        public Optional<Route> resolve(String bundleId, ApnsEnvironment environment) {
            return Optional.ofNullable(apps.get(bundleId)).map(app -> new Route(app, push -> {
                sent.add(push);
                environments.add(environment);
                Answer next = answers.poll();
                return next == null ? accepted().to(push) : next.to(push);
            }));
        }

        static Answer accepted() {
            return push -> CompletableFuture.completedFuture(new Response(push, true, 200, Optional.empty(), Optional.empty()));
        }

        static Answer rejected(int status, String reason) {
            return rejected(status, reason, null);
        }

        static Answer rejected(int status, String reason, Instant tokenInvalidatedAt) {
            return push -> CompletableFuture.completedFuture(
                    new Response(push, false, status, Optional.of(reason), Optional.ofNullable(tokenInvalidatedAt)));
        }

        /** The send did not happen (connection lost, Pushy shutting down...). */
        static Answer failed(Exception error) {
            return push -> CompletableFuture.failedFuture(error);
        }

        /** Pushy refuses in the call itself rather than in the future. */
        static Answer throwing(RuntimeException error) {
            return push -> {
                throw error;
            };
        }
    }

    /** APNs' answer to one notification, as Pushy hands it over. */
    record Response(SimpleApnsPushNotification getPushNotification, boolean isAccepted, int getStatusCode,
            Optional<String> getRejectionReason, Optional<Instant> getTokenInvalidationTimestamp)
            implements PushNotificationResponse<SimpleApnsPushNotification> {

        @Override
        public UUID getApnsId() {
            return getPushNotification.getApnsId();
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private final AtomicLong millis;

        MutableClock(long millis) {
            this.millis = new AtomicLong(millis);
        }

        void advance(long by) {
            millis.addAndGet(by);
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
