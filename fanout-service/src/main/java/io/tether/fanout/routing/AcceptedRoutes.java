package io.tether.fanout.routing;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.opentelemetry.context.Context;
import io.tether.fanout.intake.OutgoingMessage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Routes a message to one device when it is accepted, without the downstream topic: the 202 waits for its route
 * script (the message is then in the device's inbox, durable under {@code appendfsync always}) and, with Redis
 * replicas, for {@code WAIT}. Every command goes out on one connection that {@code runtime}'s {@code LingeringFlush}
 * flushes at most a linger later, so Redis runs the scripts of several messages together and their hand-overs reach
 * the gateway together: batching is what made this cheaper than the downstream topic (README, benchmark section).
 *
 * <p>What follows the script (expiry index, status events, the push request of a device that is not live) is not on
 * the 202's path. A {@link RouteLog} entry, written just before the script on the same connection, covers it: it is
 * deleted once the follow-ups are done, and {@link RouteLogSweeper} routes whatever stays longer than a grace again.
 */
public final class AcceptedRoutes {
    private static final Logger LOG = Logger.getLogger(AcceptedRoutes.class);

    private final RedisAsyncCommands<String, String> redis;
    private final Runnable issued;
    private final Router router;
    private final int replicas;
    private final Duration replicaTimeout;

    /**
     * @param redis    the lingering connection; {@code router}'s inbox must issue its scripts on it too (order per device)
     * @param issued   called after each command issued here (the connection's {@code LingeringFlush})
     * @param replicas Redis replicas that must confirm the script before the 202 (0: one node, {@code appendfsync always})
     */
    public AcceptedRoutes(RedisAsyncCommands<String, String> redis, Runnable issued, Router router, int replicas, Duration replicaTimeout) {
        this.redis = redis;
        this.issued = issued;
        this.router = router;
        this.replicas = replicas;
        this.replicaTimeout = replicaTimeout;
    }

    /** Whether {@link #accept} takes this message (one device; see {@link Router#routesAtAcceptance}). */
    public boolean applies(OutgoingMessage message) {
        return Router.routesAtAcceptance(message);
    }

    /**
     * Logs and routes the message. Completes when its route script answered (and the replicas confirmed), which is when
     * the REST API may answer 202; fails, and the request with it, only when that did not happen.
     */
    public CompletionStage<Void> accept(OutgoingMessage message, Context trace) {
        CompletableFuture<String> logged = redis.xadd(RouteLog.KEY, Map.of(RouteLog.FIELD, RouteLog.encode(message))).toCompletableFuture();
        issued.run();
        Router.Routing routing = router.routeAccepted(message, trace);
        CompletionStage<Void> durable = replicas > 0 ? routing.queued().thenCombine(replicated(), (v, w) -> null) : routing.queued();
        routing.done().thenCombine(logged, (v, id) -> id).thenCompose(id -> {
            CompletionStage<Long> deleted = redis.xdel(RouteLog.KEY, id);
            issued.run();
            return deleted;
        }).whenComplete((n, failure) -> {
            if (failure != null) {
                LOG.debugf("message %s stays in the route log for the sweep: %s", message.messageId(), failure.toString());
            }
        });
        logged.whenComplete((id, failure) -> {
            if (failure != null) {
                LOG.warnf("message %s not in the route log (its follow-ups are not covered if this fanout dies): %s",
                        message.messageId(), failure.toString());
            }
        });
        return durable;
    }

    /**
     * One WAIT per message, right after its script: Redis runs each once the replicas have what came before it, so the
     * WAITs of one flush cost a replica round trip each (one WAIT per flush would do; not built, replicas being optional).
     */
    private CompletionStage<Void> replicated() {
        CompletionStage<Long> acked = redis.waitForReplication(replicas, replicaTimeout.toMillis());
        issued.run();
        return acked.thenApply(n -> {
            if (n < replicas) {
                throw new IllegalStateException("only " + n + " of " + replicas + " Redis replicas confirmed within "
                        + replicaTimeout.toMillis() + " ms");
            }
            return null;
        });
    }
}
