package io.tether.fanout.routing;

import io.tether.contract.PresenceEvent;
import io.tether.inbox.Inbox;
import io.tether.inbox.InboxEntry;
import io.tether.inbox.Pump;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An inbox that answers what the test queued and records what it was asked. */
class FakeInbox implements Inbox {
    final List<String> calls = new ArrayList<>();
    final List<InboxEntry> routed = new ArrayList<>();
    final Deque<Routed> routes = new ArrayDeque<>();
    final Deque<PresenceChange> presences = new ArrayDeque<>();
    final Deque<Pump> pumps = new ArrayDeque<>();

    @Override
    public CompletionStage<Routed> route(String deviceId, InboxEntry entry, long statusTtlSeconds) {
        calls.add("route " + deviceId + " " + entry.messageId());
        routed.add(entry);
        return CompletableFuture.completedFuture(routes.isEmpty() ? new Routed("queued", 1, null, 0, List.of(), false, new Pump.Hold("policy"))
                : routes.poll());
    }

    @Override
    public CompletionStage<Direct> direct(String deviceId, String messageId, long statusTtlSeconds) {
        calls.add("direct " + deviceId + " " + messageId);
        return CompletableFuture.completedFuture(new Direct("queued", true, null));
    }

    @Override
    public CompletionStage<PresenceChange> presence(PresenceEvent event) {
        calls.add("presence " + event.deviceId() + " " + event.kind());
        return CompletableFuture.completedFuture(presences.poll());
    }

    @Override
    public CompletionStage<Acked> acknowledge(String deviceId, String messageId, String status, String reason, long epoch, String gatewayId) {
        calls.add("acknowledge " + deviceId + " " + messageId + " " + status);
        return CompletableFuture.completedFuture(new Acked(true, 0, 0));
    }

    @Override
    public CompletionStage<Pump.Live> resync(String deviceId, long epoch, String gatewayId) {
        calls.add("resync " + deviceId);
        return CompletableFuture.completedFuture(new Pump.Live(0, 0));
    }

    @Override
    public CompletionStage<Boolean> confirmPush(String deviceId, Pump.Push push) {
        calls.add("confirmPush " + deviceId + " " + push.cursor());
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Boolean> pushed(String deviceId, String messageId, String apnsId) {
        calls.add("pushed " + deviceId + " " + messageId + " " + apnsId);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Void> pushFailed(String deviceId, String messageId, String reason) {
        calls.add("pushFailed " + deviceId + " " + messageId + " " + reason);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Pump> pump(String deviceId) {
        calls.add("pump " + deviceId);
        return CompletableFuture.completedFuture(pumps.isEmpty() ? new Pump.Hold("nothing-to-push") : pumps.poll());
    }

    @Override
    public CompletionStage<List<InboxEntry>> pending(String deviceId, int limit) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<Map<String, Boolean>> acknowledgeFetched(String deviceId, List<String> messageIds) {
        return CompletableFuture.completedFuture(Map.of());
    }

    @Override
    public CompletionStage<Expired> expire(String deviceId) {
        return CompletableFuture.completedFuture(new Expired(0, 0));
    }
}
