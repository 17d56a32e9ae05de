package io.tether.fanout.status;

import io.tether.fanout.intake.OutgoingMessage;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** What routing needs of the message records ({@link StatusStore} in Redis): targets expanded and remembered. */
public interface MessageRecords {

    /** Seconds a message's records are kept: until it expires, plus the retention. */
    long ttlSeconds(OutgoingMessage message, long nowMillis);

    /** The devices of a user, in id order. */
    CompletionStage<List<String>> devicesOfUser(String userId);

    /** Records what was accepted and the devices it went to. */
    CompletionStage<Void> record(OutgoingMessage message, List<String> deviceIds);
}
