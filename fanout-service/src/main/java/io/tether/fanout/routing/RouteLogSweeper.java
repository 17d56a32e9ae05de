package io.tether.fanout.routing;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.opentelemetry.context.Context;
import io.tether.fanout.intake.OutgoingMessage;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Routes again the {@link RouteLog} entries older than a grace: a fanout died (or Kafka or Redis failed) between a
 * message's route script and the end of its follow-ups. The route script is idempotent by message id (a known message
 * is re-indexed and its device's inbox pumped again), so routing an entry twice is harmless: at worst a status event
 * or a push request is sent twice, which at-least-once allows. One fanout sweeps at a time: a lock that
 * expires after the grace, so an orphan is routed again between one and two graces after it was logged.
 */
public final class RouteLogSweeper {
    private static final Logger LOG = Logger.getLogger(RouteLogSweeper.class);
    private static final int BATCH = 100;

    private final RedisAsyncCommands<String, String> redis;
    private final Router router;
    private final Duration grace;
    private final LongSupplier clock;
    private final String owner = UUID.randomUUID().toString();

    /**
     * @param router routes on a connection that flushes each command (the routing consumer's)
     * @param grace  how long an entry may stay before it is taken for orphaned; far above a follow-up's normal time
     */
    public RouteLogSweeper(RedisAsyncCommands<String, String> redis, Router router, Duration grace, LongSupplier clock) {
        this.redis = redis;
        this.router = router;
        this.grace = grace;
        this.clock = clock;
    }

    /** Routes again, and then deletes, every entry older than the grace; completes with how many it routed. */
    public CompletionStage<Integer> sweep() {
        return redis.set(RouteLog.SWEEP_LOCK, owner, SetArgs.Builder.nx().px(grace.toMillis())).thenCompose(locked -> {
            if (!"OK".equals(locked)) {
                return CompletableFuture.completedFuture(0);
            }
            long before = clock.getAsLong() - grace.toMillis();
            return sweepBefore(before, 0);
        });
    }

    private CompletionStage<Integer> sweepBefore(long before, int routed) {
        return redis.xrange(RouteLog.KEY, Range.create("0", Long.toString(before)), Limit.create(0, BATCH)).thenCompose(entries -> {
            CompletableFuture<?>[] all = entries.stream().map(entry -> reroute(entry).toCompletableFuture()).toArray(CompletableFuture[]::new);
            int total = routed + entries.size();
            return CompletableFuture.allOf(all).thenCompose(v -> {
                if (entries.size() == BATCH) {
                    return sweepBefore(before, total);
                }
                if (total > 0) {
                    LOG.infof("routed again %d messages left in the route log (a fanout stopped before their follow-ups)", total);
                }
                return CompletableFuture.completedFuture(total);
            });
        });
    }

    private CompletionStage<Void> reroute(StreamMessage<String, String> entry) {
        OutgoingMessage message;
        try {
            message = RouteLog.decode(entry.getBody().get(RouteLog.FIELD));
        } catch (RuntimeException e) {
            // Written by no version of this code: nothing can ever route it.
            LOG.errorf("dropping route log entry %s that is not a message: %s", entry.getId(), e.toString());
            return redis.xdel(RouteLog.KEY, entry.getId()).thenApply(n -> null);
        }
        return router.routeAccepted(message, Context.root()).done()
                .thenCompose(v -> redis.xdel(RouteLog.KEY, entry.getId()))
                .handle((n, failure) -> {
                    if (failure != null) {
                        LOG.warnf("message %s stays in the route log for the next sweep: %s", message.messageId(), failure.toString());
                    }
                    return null;
                });
    }
}
