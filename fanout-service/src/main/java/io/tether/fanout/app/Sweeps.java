package io.tether.fanout.app;

import io.quarkus.scheduler.Scheduled;
import io.tether.fanout.routing.ExpiryIndex;
import io.tether.fanout.routing.GatewayReaper;
import io.tether.fanout.routing.RouteLogSweeper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;

/** Periodic work: expiring queued messages at their TTL, handling gateways that died, and orphans of the route log. */
@ApplicationScoped
class Sweeps {
    private final ExpiryIndex expiries;
    private final GatewayReaper reaper;
    private final RouteLogSweeper routeLog;

    Sweeps(ExpiryIndex expiries, GatewayReaper reaper, RouteLogSweeper routeLog) {
        this.expiries = expiries;
        this.reaper = reaper;
        this.routeLog = routeLog;
    }

    @Scheduled(every = "${tether.fanout.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    CompletionStage<Void> expire() {
        return expiries.sweep();
    }

    @Scheduled(every = "${tether.fanout.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    CompletionStage<Void> reapGateways() {
        return reaper.sweep();
    }

    @Scheduled(every = "${tether.fanout.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    CompletionStage<Void> routeOrphans() {
        return routeLog.sweep().thenApply(n -> null);
    }
}
