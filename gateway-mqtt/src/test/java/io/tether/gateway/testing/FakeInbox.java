package io.tether.gateway.testing;

import io.tether.contract.PresenceEvent;
import io.tether.inbox.Inbox;
import io.tether.inbox.InboxEntry;
import io.tether.inbox.Pump;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** The inbox as the gateway uses it (settle a delivery, resync a connection), recording the calls. */
public final class FakeInbox implements Inbox {
    public final List<String> calls = new CopyOnWriteArrayList<>();
    /** What {@link #resync} answers. */
    public volatile Pump.Live resynced = new Pump.Live(0, 0);

    @Override
    public CompletionStage<Acked> acknowledge(String deviceId, String messageId, String status, String reason, long epoch, String gatewayId) {
        calls.add("ack " + deviceId + " " + messageId + " " + status + (reason == null || reason.isEmpty() ? "" : " " + reason));
        return CompletableFuture.completedFuture(new Acked(true, 0, 0));
    }

    @Override
    public CompletionStage<Pump.Live> resync(String deviceId, long epoch, String gatewayId) {
        calls.add("resync " + deviceId + " " + epoch);
        return CompletableFuture.completedFuture(resynced);
    }

    @Override
    public CompletionStage<Routed> route(String deviceId, InboxEntry entry, long statusTtlSeconds) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Direct> direct(String deviceId, String messageId, long statusTtlSeconds) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<PresenceChange> presence(PresenceEvent event) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Boolean> confirmPush(String deviceId, Pump.Push push) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Boolean> pushed(String deviceId, String messageId, String apnsId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> pushFailed(String deviceId, String messageId, String reason) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Pump> pump(String deviceId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<InboxEntry>> pending(String deviceId, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Map<String, Boolean>> acknowledgeFetched(String deviceId, List<String> messageIds) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Expired> expire(String deviceId) {
        throw new UnsupportedOperationException();
    }
}
