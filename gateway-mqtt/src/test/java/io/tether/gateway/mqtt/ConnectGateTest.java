package io.tether.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The gate in front of Vert.x's handler, on Netty's embedded channel (its event loop is the test's thread). */
class ConnectGateTest {
    /** Stands for Vert.x's handler: records what reaches it, and the end of each read (when Vert.x flushes). */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();
        /** What the handler does with a packet besides recording it. */
        Consumer<Object> onRead = msg -> { };

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            seen.add(msg);
            onRead.accept(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            seen.add("read complete");
        }
    }

    private final Recorder vertx = new Recorder();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    ConnectGateTest() {
        channel.pipeline().addLast("handler", vertx);
    }

    private ConnectGate install() {
        return ConnectGate.install(channel.pipeline().context("handler"));
    }

    @Test
    void packetsAfterTheConnectWaitUntilOpenThenGoOnInOrderAndReadingResumes() {
        ConnectGate gate = install();
        channel.writeInbound("pingreq", "subscribe");
        assertEquals(List.of("read complete"), vertx.seen, "held: only the end of the read passed");
        vertx.seen.clear();
        assertTrue(channel.config().isAutoRead(), "reading goes on: a close before CONNACK is noticed");

        gate.open(() -> true);
        assertEquals(List.of("pingreq", "subscribe", "read complete"), vertx.seen, "in order, then the end of a read");
        assertTrue(channel.config().isAutoRead());
        channel.writeInbound("publish");
        assertEquals(List.of("pingreq", "subscribe", "read complete", "publish", "read complete"), vertx.seen);
    }

    @Test
    void aSessionThatStopsReadingWhileHeldPacketsGoOnIsNotReadAgainByOpenButOnlyWhenItResumes() {
        ConnectGate gate = install();
        for (int i = 1; i <= ConnectGate.MAX_HELD; i++) {
            channel.writeInbound("publish " + i);
        }
        vertx.onRead = msg -> {
            if (msg.equals("publish 3")) {
                assertTrue(gate.pause(), "the session's budget is full");
            }
        };

        gate.open(() -> true);
        assertFalse(channel.config().isAutoRead(), "open() leaves reading stopped");
        gate.resume();
        assertTrue(channel.config().isAutoRead());
        assertFalse(ConnectGate.NONE.pause(), "no gate: reading cannot be stopped");
    }

    @Test
    void aClientThatQueuesTooMuchBeforeConnackIsNoLongerRead() {
        ConnectGate gate = install();
        for (int i = 1; i < ConnectGate.MAX_HELD; i++) {
            channel.writeInbound("publish " + i);
        }
        assertTrue(channel.config().isAutoRead());
        channel.writeInbound("publish " + ConnectGate.MAX_HELD);
        assertFalse(channel.config().isAutoRead());

        vertx.seen.clear();
        gate.open(() -> true);
        assertEquals(ConnectGate.MAX_HELD + 1, vertx.seen.size(), "every packet held, then the end of a read");
        assertTrue(channel.config().isAutoRead());
    }

    @Test
    void aRefusedConnectDropsWhatFollowedItAndReleasesItsBuffers() {
        ConnectGate gate = install();
        ByteBuf payload = Unpooled.buffer().writeByte(1);
        channel.writeInbound(payload);

        gate.drop();
        assertEquals(0, payload.refCnt());
        ByteBuf later = Unpooled.buffer().writeByte(2);
        channel.writeInbound(later); // sent before the refusing CONNACK closed the connection
        assertEquals(0, later.refCnt());
        gate.open(() -> true); // too late: nothing held, nothing passed on
        assertFalse(vertx.seen.contains(payload));
        assertFalse(vertx.seen.contains(later));
    }

    @Test
    void aConnectionClosedBeforeConnackReleasesWhatWasHeld() {
        install();
        ByteBuf payload = Unpooled.buffer().writeByte(1);
        channel.writeInbound(payload);

        channel.close();
        assertEquals(0, payload.refCnt());
        assertFalse(vertx.seen.contains(payload));
    }

    @Test
    void packetsReadAfterTheEndpointEndedAreDroppedAndTheirBuffersReleased() {
        ConnectGate gate = install();
        boolean[] connected = {true};
        ByteBuf disconnect = Unpooled.buffer().writeByte(0xE0);
        ByteBuf pingreq = Unpooled.buffer().writeByte(0xC0);
        channel.writeInbound(disconnect, pingreq); // held: the client sent both right behind its CONNECT
        vertx.seen.clear();
        vertx.onRead = msg -> connected[0] = msg != disconnect; // Vert.x closes the endpoint on a DISCONNECT

        gate.open(() -> connected[0]);
        assertEquals(List.of(disconnect, "read complete"), vertx.seen, "the DISCONNECT, not the PINGREQ behind it");
        assertEquals(0, pingreq.refCnt());

        ByteBuf late = Unpooled.buffer().writeByte(0xC0);
        channel.writeInbound(late); // read before the close took effect
        assertEquals(List.of(disconnect, "read complete", "read complete"), vertx.seen, "only the end of that read passed");
        assertEquals(0, late.refCnt());
        disconnect.release();
    }

    @Test
    void theHandlerOfTheConnectFindsTheGateItStaysInThePipeline() {
        ConnectGate gate = install();
        assertSame(gate, ConnectGate.of(channel.pipeline().context("handler")));
        gate.open(() -> true);
        assertSame(gate, ConnectGate.of(channel.pipeline().context("handler")));
        assertSame(ConnectGate.NONE, ConnectGate.of(null));
    }

    @Test
    void withoutAReachablePipelineThereIsNoGate() {
        ConnectGate gate = ConnectGate.install(null);
        assertSame(ConnectGate.NONE, gate);
        gate.open(() -> true);
        gate.drop();
        assertTrue(channel.config().isAutoRead());
    }
}
