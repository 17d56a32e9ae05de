package io.tether.chaos.fuzz;

import io.tether.chaos.report.Tally;
import java.util.List;
import java.util.Map;

/**
 * A fuzz run: what was sent, and the gateway before, at the peak and after.
 *
 * @param counts       packets, connections, attacks and mutations by kind
 * @param alive        whether the gateway process was still running at the end
 * @param before       the gateway with only the good clients connected
 * @param peakConnections the most {@code tether_gateway_connections} seen while fuzzing
 * @param peakFileDescriptors the most open descriptors seen while fuzzing
 * @param after        once the fuzzer's sockets were closed and connections settled
 * @param goodAcked    good clients' QoS 1 PUBLISHes answered with PUBACK
 * @param goodFailed   good clients' PUBLISHes that failed or timed out
 * @param downstream   REST messages to the good clients while fuzzing
 */
public record FuzzResult(
        String mode,
        double seconds,
        Map<String, Long> counts,
        boolean alive,
        GatewayProbe.Sample before,
        long peakConnections,
        long peakFileDescriptors,
        GatewayProbe.Sample after,
        long goodAcked,
        long goodFailed,
        Tally downstream,
        Map<String, List<String>> logFindings) {

    /** Descriptors the gateway may open for itself meanwhile (a Kafka or Redis reconnect), not fuzz connections. */
    public static final long FD_SLACK = 10;

    public boolean connectionsBackToBaseline() {
        return after.connections() == before.connections() && after.fileDescriptors() <= before.fileDescriptors() + FD_SLACK
                && after.claimedDevices() == before.claimedDevices();
    }

    public boolean goodClientsServed() {
        return goodAcked > 0 && goodFailed == 0 && downstream.accepted() > 0 && downstream.lost() == 0;
    }

    public boolean passed() {
        return alive && connectionsBackToBaseline() && goodClientsServed();
    }
}
