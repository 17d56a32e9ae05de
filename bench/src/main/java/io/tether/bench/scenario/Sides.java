package io.tether.bench.scenario;

import io.tether.bench.BenchContext;
import io.tether.bench.report.ScenarioResult;

/**
 * Runs a scenario's Tether side and its peer side (mosquitto, raw Pushy) in the run's order ({@link
 * io.tether.bench.RunOrder}), each once both systems are idle; without a peer ({@code --no-peer}) the peer side is the
 * given placeholder.
 */
final class Sides {
    /** What each side measured. */
    record Both<T>(T tether, T peer) {
    }

    /** One side's measurement. */
    interface Side<T> {
        T run() throws Exception;
    }

    private Sides() {
    }

    static <T> Both<T> run(BenchContext ctx, String scenarioId, ScenarioResult r, String peerName, Side<T> tether, Side<T> peer,
            T noPeer) throws Exception {
        if (!ctx.hasPeer()) {
            r.note("The peer (" + peerName + ") was not run (--no-peer).");
            ctx.quiet(r, "Tether's phase");
            return new Both<>(tether.run(), noPeer);
        }
        boolean tetherFirst = ctx.order.tetherFirst(scenarioId);
        r.note((tetherFirst ? "Tether" : peerName) + " ran first in this scenario, then " + (tetherFirst ? peerName : "Tether")
                + "; each phase started once both systems were idle.");
        T t;
        T p;
        if (tetherFirst) {
            ctx.quiet(r, "Tether's phase");
            t = tether.run();
            ctx.quiet(r, peerName + "'s phase");
            p = peer.run();
        } else {
            ctx.quiet(r, peerName + "'s phase");
            p = peer.run();
            ctx.quiet(r, "Tether's phase");
            t = tether.run();
        }
        return new Both<>(t, p);
    }
}
