package io.tether.gateway.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Holds what a client sends after its CONNECT until the gateway has answered it, and drops what it sends after its
 * connection has ended. MQTT lets a client send packets right after CONNECT, without waiting for CONNACK (3.1.1 and
 * 5.0 §3.1.4), but Vert.x MQTT 4.5 closes the connection when a packet arrives before its endpoint is accepted
 * ({@code MqttServerConnection.checkConnected}, logged as an uncaught exception with its stack trace): a SUBSCRIBE or
 * PINGREQ sent that early ended the connection. From the CONNECT on, the gate sits in front of Vert.x's handler; after
 * CONNACK it hands the packets it holds on in order, after a refusal it drops them and whatever else arrives until the
 * connection has closed, as 5.0 §3.1.4 asks of a server that rejects the CONNECT. It stops reading from the socket once
 * it holds {@link #MAX_HELD} packets (each at most the listener's maximum message size), so a client cannot queue
 * more; below that, reading goes on, so that a client closing before CONNACK is still noticed.
 * <p>
 * After CONNACK the gate stays and passes each packet on while the endpoint is connected. The same check fails once
 * the endpoint has ended (the client's DISCONNECT, a takeover, a refusal of a PUBLISH) while packets read with the
 * one that ended it are still on their way: Vert.x would close the connection again and log each of them as an
 * uncaught exception with its stack trace, so a client that sends a PINGREQ right behind its DISCONNECT cost a stack
 * trace. They are dropped instead; the connection is closing anyway. Touched on the connection's event loop only.
 * <p>
 * It also owns whether the socket is read after CONNACK: the session stops reading through it ({@link SocketReading})
 * while an MQTT 3.1.1 client has as many PUBLISHes on their way to Kafka as it may, and {@link #open} leaves that so.
 */
final class ConnectGate extends ChannelInboundHandlerAdapter implements SocketReading {
    static final String NAME = "tether-connect-gate";
    /** Packets held before reading stops: more than a client pipelines behind its CONNECT (a SUBSCRIBE, a few PUBLISHes). */
    static final int MAX_HELD = 16;
    /** No gate: the endpoint's pipeline could not be reached; Vert.x's own behaviour stays. */
    static final ConnectGate NONE = new ConnectGate();
    private static final Logger LOG = Logger.getLogger(ConnectGate.class);
    private static volatile boolean warned;

    /** Created for the first packet held (most clients wait for CONNACK), dropped at {@link #open}: the gate stays. */
    private ArrayDeque<Object> held;
    private ChannelHandlerContext ctx;
    /** Set by {@link #open}: whether the endpoint still takes packets. */
    private BooleanSupplier connected;
    private boolean opened;
    private boolean dropped;
    /** The session stopped reading ({@link #pause}). */
    private boolean paused;

    private ConnectGate() {
    }

    /**
     * Puts a gate in front of the handler whose context is {@code vertxHandler} (the connection's Vert.x handler);
     * called while the CONNECT is being handled, so the packets decoded after it already pass the gate.
     */
    static ConnectGate install(ChannelHandlerContext vertxHandler) {
        if (vertxHandler == null || !vertxHandler.executor().inEventLoop()) {
            warnOnce("no channel context on the event loop");
            return NONE;
        }
        ConnectGate gate = new ConnectGate();
        try {
            vertxHandler.pipeline().addBefore(vertxHandler.name(), NAME, gate);
        } catch (RuntimeException e) {
            warnOnce(e.toString());
            return NONE;
        }
        return gate;
    }

    /** The gate {@link #install} put in this connection's pipeline, if it is still there; else {@link #NONE}. */
    static ConnectGate of(ChannelHandlerContext vertxHandler) {
        return vertxHandler != null && vertxHandler.pipeline().get(NAME) instanceof ConnectGate gate ? gate : NONE;
    }

    /**
     * CONNACK has gone out and the session's handlers are bound: the held packets go on, in order, and reading resumes.
     * From now on a packet goes on while {@code connected} says the endpoint takes it, and is dropped after.
     */
    void open(BooleanSupplier connected) {
        if (!finishing(() -> open(connected))) {
            return;
        }
        this.connected = connected;
        opened = true;
        ChannelHandlerContext context = ctx;
        if (held != null) {
            while (!held.isEmpty()) {
                pass(context, held.poll()); // a held DISCONNECT ends the endpoint: what follows it is dropped
            }
            held = null;
            // As after a read from the socket: Vert.x flushes what it wrote while reading (PINGRESP, SUBACK) only then.
            context.fireChannelReadComplete();
        }
        context.channel().config().setAutoRead(!paused); // a held PUBLISH may have filled the session's budget
    }

    @Override
    public boolean pause() {
        if (this == NONE) {
            return false;
        }
        paused = true;
        if (opened) {
            ctx.channel().config().setAutoRead(false); // before open() the gate decides; open() reads the flag
        }
        return true;
    }

    @Override
    public void resume() {
        if (this == NONE || !paused) {
            return;
        }
        paused = false;
        if (opened) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * The CONNECT was refused: what the client sent after it is never processed, nor is anything it sends until the
     * connection has closed (the gate stays, releasing what arrives).
     */
    void drop() {
        if (!finishing(this::drop)) {
            return;
        }
        dropped = true;
        release();
    }

    /** Whether this call ends the gate: a real gate, not ended yet, on its event loop (else the call is made there). */
    private boolean finishing(Runnable onEventLoop) {
        if (this == NONE) {
            return false;
        }
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(onEventLoop);
            return false;
        }
        return !opened && !dropped;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (opened) {
            pass(ctx, msg);
            return;
        }
        if (dropped) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (held == null) {
            held = new ArrayDeque<>(MAX_HELD);
        }
        held.add(msg);
        if (held.size() == MAX_HELD) {
            ctx.channel().config().setAutoRead(false); // open() reads on
        }
    }

    private void pass(ChannelHandlerContext context, Object msg) {
        if (connected.getAsBoolean()) {
            context.fireChannelRead(msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release(); // the channel closed (nothing is held once open() ran)
    }

    private void release() {
        while (held != null && !held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
    }

    private static void warnOnce(String why) {
        if (!warned) {
            warned = true;
            LOG.warnf("cannot hold packets sent before CONNACK (%s): Vert.x MQTT closes connections that send them", why);
        }
    }
}
