package io.tether.bench.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT client connection on Netty's MQTT codec. Its state is touched only on its event loop; methods called
 * from elsewhere hop there. QoS 1 publishes complete through a callback with their send time when the PUBACK
 * arrives; received QoS 1 PUBLISHes are acknowledged at once unless the connection is {@link #deafen() deaf}.
 */
public final class MqttConn {
    /** Receives what arrives on a connection (on its event loop). */
    public interface Listener {
        /** A PUBLISH; {@code payload} is valid only during the call. */
        default void onPublish(MqttConn conn, String topic, ByteBuf payload, MqttProperties properties) {
        }

        default void onClosed(MqttConn conn) {
        }
    }

    /** Completion of one QoS 1 publish. */
    public interface Acked {
        void acked(MqttConn conn, long sentNanos, int reasonCode);
    }

    public static final Listener IGNORE = new Listener() {
    };

    private final ConnectSpec spec;
    private final Listener listener;
    private final IntObjectHashMap<Object[]> inflight = new IntObjectHashMap<>();
    final CompletableFuture<Integer> connack = new CompletableFuture<>();
    final CompletableFuture<Integer> suback = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** SUBACKs awaited for {@link #subscribeMore}, by packet id (event-loop confined). */
    private final IntObjectHashMap<CompletableFuture<Integer>> moreSubacks = new IntObjectHashMap<>();
    private Channel channel;
    private int nextPacketId = 1;
    private boolean sessionPresent;
    private volatile boolean deaf;
    /** DISCONNECT written: nothing may follow it (MQTT). Touched on the channel's event loop only. */
    private boolean disconnecting;
    private Object attachment;
    long startNanos;
    long connackNanos;

    MqttConn(ConnectSpec spec, Listener listener) {
        this.spec = spec;
        this.listener = listener == null ? IGNORE : listener;
    }

    public ConnectSpec spec() {
        return spec;
    }

    public String clientId() {
        return spec.clientId();
    }

    public boolean isOpen() {
        return channel != null && channel.isActive();
    }

    public boolean sessionPresent() {
        return sessionPresent;
    }

    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** Free for the scenario's use (e.g. its per-device bookkeeping). */
    public Object attachment() {
        return attachment;
    }

    public void attach(Object value) {
        this.attachment = value;
    }

    void bind(Channel ch) {
        this.channel = ch;
        ch.closeFuture().addListener(f -> {
            closed.complete(null);
            if (!inflight.isEmpty()) { // runs on the event loop: publishes that will never be acknowledged fail
                List<Object[]> pending = new ArrayList<>(inflight.values());
                inflight.clear();
                for (Object[] entry : pending) {
                    if (entry[0] != null) {
                        ((Acked) entry[0]).acked(this, (Long) entry[1], -1);
                    }
                }
            }
            connack.completeExceptionally(new IllegalStateException("closed before CONNACK"));
            suback.completeExceptionally(new IllegalStateException("closed before SUBACK"));
            listener.onClosed(this);
        });
    }

    /** Sends CONNECT (called once the TCP connection is up). */
    void sendConnect() {
        channel.writeAndFlush(spec.connectMessage());
    }

    /** QoS 1 PUBLISH; {@code acked} runs on the event loop when the PUBACK arrives. Takes ownership of {@code payload}. */
    public void publish(String topic, ByteBuf payload, Acked acked) {
        if (channel.eventLoop().inEventLoop()) {
            doPublish(topic, payload, acked, System.nanoTime());
        } else {
            long now = System.nanoTime();
            channel.eventLoop().execute(() -> doPublish(topic, payload, acked, now));
        }
    }

    /** QoS 1 PUBLISH with the send time given by the caller (the time it was scheduled). */
    public void publish(String topic, ByteBuf payload, long sentNanos, Acked acked) {
        if (channel.eventLoop().inEventLoop()) {
            doPublish(topic, payload, acked, sentNanos);
        } else {
            channel.eventLoop().execute(() -> doPublish(topic, payload, acked, sentNanos));
        }
    }

    private void doPublish(String topic, ByteBuf payload, Acked acked, long sentNanos) {
        if (!channel.isActive()) {
            payload.release();
            if (acked != null) {
                acked.acked(this, sentNanos, -1);
            }
            return;
        }
        int id = packetId();
        inflight.put(id, new Object[] {acked, sentNanos});
        channel.writeAndFlush(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE).retained(false)
                .messageId(id).payload(payload).build(), channel.voidPromise());
    }

    /** Runs {@code task} on this connection's event loop (where its callbacks run too). */
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    /** Publishes whose PUBACK has not come (only meaningful on the event loop). */
    public int inflight() {
        return inflight.size();
    }

    /** SUBSCRIBE with QoS 1; completes with the granted QoS (or reason code). */
    CompletableFuture<Integer> subscribe(String filter) {
        channel.eventLoop().execute(() -> channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(packetId())
                .addSubscription(MqttQoS.AT_LEAST_ONCE, filter).build()));
        return suback;
    }

    /** One more QoS 1 subscription on an open connection; completes with the granted QoS (or reason code). */
    public CompletableFuture<Integer> subscribeMore(String filter) {
        CompletableFuture<Integer> granted = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            int id = packetId();
            moreSubacks.put(id, granted);
            channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(id).addSubscription(MqttQoS.AT_LEAST_ONCE, filter).build());
        });
        return granted;
    }

    /** Stops reading from the socket, like a suspended iOS app: the peer's writes pile up unacknowledged. */
    public void deafen() {
        deaf = true;
        channel.eventLoop().execute(() -> channel.config().setAutoRead(false));
    }

    /** Closes without DISCONNECT and with a reset (SO_LINGER 0), like a device that lost its network and its socket. */
    public CompletableFuture<Void> drop() {
        channel.eventLoop().execute(() -> {
            if (channel.isOpen()) {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
                channel.close();
            }
        });
        return closed;
    }

    /** DISCONNECT, then close. */
    public CompletableFuture<Void> disconnect() {
        channel.eventLoop().execute(() -> {
            disconnecting = true;
            if (channel.isActive()) {
                channel.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false,
                        MqttQoS.AT_MOST_ONCE, false, 0))).addListener(ChannelFutureListener.CLOSE);
                channel.eventLoop().schedule(() -> channel.close(), 5, TimeUnit.SECONDS);
            } else {
                channel.close();
            }
        });
        return closed;
    }

    /**
     * A PINGREQ, decided on the channel's event loop: the pinger runs on another thread, and a PINGREQ queued behind a
     * DISCONNECT would break MQTT (the pipeline consolidates flushes, so the DISCONNECT may not have gone out yet).
     */
    void ping() {
        if (channel == null) {
            return;
        }
        channel.eventLoop().execute(() -> {
            if (channel.isActive() && !deaf && !disconnecting) {
                channel.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE,
                        false, 0)), channel.voidPromise());
            }
        });
    }

    private int packetId() {
        for (int i = 0; i < 65535; i++) {
            int id = nextPacketId;
            nextPacketId = nextPacketId == 65535 ? 1 : nextPacketId + 1;
            if (!inflight.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free packet id");
    }

    /** The pipeline's last handler. */
    final class Handler extends SimpleChannelInboundHandler<MqttMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            if (msg.decoderResult().isFailure()) {
                ctx.close();
                return;
            }
            switch (msg.fixedHeader().messageType()) {
                case CONNACK -> {
                    MqttConnAckMessage ack = (MqttConnAckMessage) msg;
                    sessionPresent = ack.variableHeader().isSessionPresent();
                    MqttConnectReturnCode code = ack.variableHeader().connectReturnCode();
                    connackNanos = System.nanoTime();
                    connack.complete(code.byteValue() & 0xff);
                    if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                        ctx.close();
                    }
                }
                case PUBACK -> {
                    int id = ((MqttMessageIdVariableHeader) msg.variableHeader()).messageId();
                    Object[] entry = inflight.remove(id);
                    if (entry != null && entry[0] != null) {
                        ((Acked) entry[0]).acked(MqttConn.this, (Long) entry[1], 0);
                    }
                }
                case SUBACK -> {
                    MqttSubAckMessage ack = (MqttSubAckMessage) msg;
                    int code = ack.payload().grantedQoSLevels().isEmpty() ? 0x80 : ack.payload().grantedQoSLevels().get(0);
                    CompletableFuture<Integer> more = moreSubacks.remove(ack.variableHeader().messageId());
                    (more != null ? more : suback).complete(code);
                }
                case PUBLISH -> {
                    MqttPublishMessage publish = (MqttPublishMessage) msg;
                    listener.onPublish(MqttConn.this, publish.variableHeader().topicName(), publish.payload(),
                            publish.variableHeader().properties());
                    if (publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE && !deaf) {
                        ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(publish.variableHeader().packetId()).build(),
                                ctx.voidPromise());
                    }
                }
                case DISCONNECT -> ctx.close();
                default -> {
                    // PINGRESP, UNSUBACK: nothing to do
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
