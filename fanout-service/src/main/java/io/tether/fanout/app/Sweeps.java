package io.tether.fanout.app;

import io.quarkus.scheduler.Scheduled;
import io.tether.fanout.routing.ExpiryIndex;
import io.tether.fanout.routing.GatewayReaper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;

/** Periodic work: expiring queued messages at their TTL and handling gateways that died. */
@ApplicationScoped
class Sweeps {
    private final ExpiryIndex expiries;
    private final GatewayReaper reaper;

    Sweeps(ExpiryIndex expiries, GatewayReaper reaper) {
        this.expiries = expiries;
        this.reaper = reaper;
    }

    @Scheduled(every = "${tether.fanout.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    CompletionStage<Void> expire() {
        return expiries.sweep();
    }

    @Scheduled(every = "${tether.fanout.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    CompletionStage<Void> reapGateways() {
        return reaper.sweep();
    }
}
