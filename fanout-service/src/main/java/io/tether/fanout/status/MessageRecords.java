package io.tether.fanout.status;

import io.tether.fanout.intake.OutgoingMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What routing needs of the message records ({@link StatusStore} in Redis): targets expanded and remembered. */
public interface MessageRecords {

    /** Seconds a message's records are kept: until it expires, plus the retention. */
    long ttlSeconds(OutgoingMessage message, long nowMillis);

    /** The devices of a user, in id order. */
    CompletionStage<List<String>> devicesOfUser(String userId);

    /** Records what was accepted and the devices it went to. */
    CompletionStage<Void> record(OutgoingMessage message, List<String> deviceIds);

    /**
     * The devices a message for a user, a topic or an app reaches now, in id order, within the apps its sender may
     * reach. By default only users' devices are known.
     */
    default CompletionStage<List<String>> expand(OutgoingMessage message) {
        String user = message.target().user();
        return user != null ? devicesOfUser(user) : CompletableFuture.completedFuture(List.of());
    }
}
