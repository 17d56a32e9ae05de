package io.tether.gateway.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.jboss.logging.Logger;

/**
 * Holds what a client sends after its CONNECT until the gateway has answered it. MQTT lets a client send packets right
 * after CONNECT, without waiting for CONNACK (3.1.1 and 5.0 §3.1.4), but Vert.x MQTT 4.5 closes the connection when a
 * packet arrives before its endpoint is accepted ({@code MqttServerConnection.checkConnected}, logged as an uncaught
 * exception with its stack trace): a SUBSCRIBE or PINGREQ sent that early ended the connection. From the CONNECT on, the
 * gate sits in front of Vert.x's handler; after CONNACK it hands the packets it holds on in order and leaves, after a
 * refusal it drops them and whatever else arrives until the connection has closed, as 5.0 §3.1.4 asks of a server that
 * rejects the CONNECT. It stops reading from the socket once it holds
 * {@link #MAX_HELD} packets (each at most the listener's maximum message size), so a client cannot queue more; below
 * that, reading goes on, so that a client closing before CONNACK is still noticed. Touched on the connection's event
 * loop only.
 */
final class ConnectGate extends ChannelInboundHandlerAdapter {
    static final String NAME = "tether-connect-gate";
    /** Packets held before reading stops: more than a client pipelines behind its CONNECT (a SUBSCRIBE, a few PUBLISHes). */
    static final int MAX_HELD = 16;
    /** No gate: the endpoint's pipeline could not be reached; Vert.x's own behaviour stays. */
    static final ConnectGate NONE = new ConnectGate();
    private static final Logger LOG = Logger.getLogger(ConnectGate.class);
    private static volatile boolean warned;

    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean opened;
    private boolean dropped;

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

    /** CONNACK has gone out and the session's handlers are bound: the held packets go on, in order, and reading resumes. */
    void open() {
        if (!finishing(this::open)) {
            return;
        }
        opened = true;
        ChannelHandlerContext context = ctx;
        if (!held.isEmpty()) {
            while (!held.isEmpty()) {
                context.fireChannelRead(held.poll()); // to the handler after the gate; a held DISCONNECT may close the channel
            }
            // As after a read from the socket: Vert.x flushes what it wrote while reading (PINGRESP, SUBACK) only then.
            context.fireChannelReadComplete();
        }
        if (context.pipeline().get(NAME) == this) {
            context.pipeline().remove(this);
        }
        context.channel().config().setAutoRead(true);
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
            ctx.fireChannelRead(msg);
            return;
        }
        if (dropped) {
            ReferenceCountUtil.release(msg);
            return;
        }
        held.add(msg);
        if (held.size() == MAX_HELD) {
            ctx.channel().config().setAutoRead(false); // open() reads on
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release(); // the channel closed before CONNACK (nothing is held once open() ran)
    }

    private void release() {
        while (!held.isEmpty()) {
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
