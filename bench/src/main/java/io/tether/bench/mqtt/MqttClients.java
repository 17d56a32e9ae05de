package io.tether.bench.mqtt;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.tether.bench.measure.Latency;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * Opens many MQTT connections from one JVM: a shared Netty event loop group, source addresses rotated over
 * 127.0.0.1…127.0.0.N (each has its own ~28k ephemeral ports), keepalive pings for all open connections, and
 * bulk connects with a bound on concurrent attempts that record CONNACK latency.
 */
public final class MqttClients implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 30_000;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final List<InetAddress> sources = new ArrayList<>();
    private final AtomicInteger nextSource = new AtomicInteger();
    private final Set<MqttConn> open = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> pinger;

    public MqttClients(int threads, int sourceAddresses) {
        // Each connect binds a source address before connecting. With port 0, Linux picks the port at bind(), searching
        // its bind table for one free for any destination: with ~20k sockets and their TIME_WAITs that search took the
        // load generator's threads to a core of kernel time (perf: inet_bind2_bucket_find, inet_bhash2_conflict) and
        // stalled scenario 2's second level. IP_BIND_ADDRESS_NO_PORT leaves the port to connect(), which needs it free
        // only for this destination. The option needs the epoll transport; elsewhere NIO, as before.
        DefaultThreadFactory names = new DefaultThreadFactory("bench-mqtt", true);
        boolean epoll = Epoll.isAvailable();
        group = epoll ? new EpollEventLoopGroup(threads, names) : new NioEventLoopGroup(threads, names);
        bootstrap = new Bootstrap().group(group).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        if (epoll) {
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        for (int i = 1; i <= Math.max(1, sourceAddresses); i++) {
            try {
                sources.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        pinger = group.next().scheduleAtFixedRate(() -> open.forEach(MqttConn::ping), 20, 20, TimeUnit.SECONDS);
    }

    /** Connects (and subscribes when the spec names a filter); completes when ready or fails with the reason. */
    public CompletableFuture<MqttConn> connect(ConnectSpec spec, MqttConn.Listener listener) {
        MqttConn conn = new MqttConn(spec, listener);
        conn.startNanos = System.nanoTime();
        CompletableFuture<MqttConn> ready = new CompletableFuture<>();
        InetAddress source = sources.get(Math.floorMod(nextSource.getAndIncrement(), sources.size()));
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new FlushConsolidationHandler(256, true), new MqttDecoder(1 << 20), MqttEncoder.INSTANCE,
                        conn.new Handler());
            }
        });
        ChannelFuture cf = b.connect(new InetSocketAddress("127.0.0.1", spec.port()), new InetSocketAddress(source, 0));
        if (cf.isDone() && !cf.isSuccess() && !cf.channel().isRegistered()) {
            // No socket (e.g. too many open files): the channel has no event loop to time out on.
            return CompletableFuture.failedFuture(new IllegalStateException("socket: " + cf.cause()));
        }
        Channel ch = cf.channel();
        conn.bind(ch);
        ScheduledFuture<?> timeout = ch.eventLoop().schedule(() -> {
            ready.completeExceptionally(new IllegalStateException("no CONNACK/SUBACK within " + CONNECT_TIMEOUT_MILLIS + " ms"));
            ch.close();
        }, CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                timeout.cancel(false);
                ready.completeExceptionally(new IllegalStateException("tcp: " + f.cause().getClass().getSimpleName()
                        + (f.cause().getMessage() == null ? "" : " " + f.cause().getMessage())));
                return;
            }
            conn.sendConnect();
        });
        conn.connack.whenComplete((code, error) -> {
            if (error != null) {
                timeout.cancel(false);
                ready.completeExceptionally(error);
            } else if (code != 0) {
                timeout.cancel(false);
                ready.completeExceptionally(new IllegalStateException(String.format("CONNACK 0x%02x", code)));
            } else if (spec.subscribeFilter() == null) {
                timeout.cancel(false);
                open.add(conn);
                ready.complete(conn);
            } else {
                conn.subscribe(spec.subscribeFilter()).whenComplete((granted, subError) -> {
                    timeout.cancel(false);
                    if (subError != null) {
                        ready.completeExceptionally(subError);
                    } else if (granted > 2) {
                        ch.close();
                        ready.completeExceptionally(new IllegalStateException(String.format("SUBACK 0x%02x", granted)));
                    } else {
                        open.add(conn);
                        ready.complete(conn);
                    }
                });
            }
        });
        conn.closeFuture().thenRun(() -> open.remove(conn));
        return ready;
    }

    /**
     * Connects every spec with at most {@code concurrency} attempts in flight; a failed attempt is retried up to
     * {@code retries} times after {@code 100 ms × attempt} (as a device would). CONNACK latency counts from the start
     * of the TCP connect of the attempt that succeeded.
     */
    public CompletableFuture<Bulk> connectAll(List<ConnectSpec> specs, int concurrency, int retries,
            Function<ConnectSpec, MqttConn.Listener> listeners) {
        Bulk bulk = new Bulk(specs.size());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CompletableFuture<Bulk> all = new CompletableFuture<>();
        if (specs.isEmpty()) {
            return CompletableFuture.completedFuture(bulk.finish());
        }
        Runnable[] worker = new Runnable[1];
        worker[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= specs.size()) {
                return;
            }
            attempt(specs.get(i), listeners.apply(specs.get(i)), retries, 0, bulk, i).whenComplete((c, e) -> {
                if (done.incrementAndGet() == specs.size()) {
                    all.complete(bulk.finish());
                } else {
                    worker[0].run();
                }
            });
        };
        for (int w = 0; w < Math.min(concurrency, specs.size()); w++) {
            worker[0].run();
        }
        return all;
    }

    private CompletableFuture<MqttConn> attempt(ConnectSpec spec, MqttConn.Listener listener, int retriesLeft, int attemptNo,
            Bulk bulk, int index) {
        long started = System.nanoTime();
        return connectOrFailed(spec, listener).handle((conn, error) -> {
            if (error == null) {
                bulk.latency.recordNanos(System.nanoTime() - started);
                bulk.connackLatency.recordNanos(conn.connackNanos - conn.startNanos);
                bulk.conns.set(index, conn);
                return CompletableFuture.completedFuture(conn);
            }
            String reason = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause().getMessage() : error.getMessage();
            bulk.failures.computeIfAbsent(String.valueOf(reason), r -> new AtomicLong()).incrementAndGet();
            if (retriesLeft <= 0) {
                bulk.failed.incrementAndGet();
                return CompletableFuture.<MqttConn>completedFuture(null);
            }
            bulk.retried.incrementAndGet();
            CompletableFuture<MqttConn> retry = new CompletableFuture<>();
            group.schedule(() -> attempt(spec, listener, retriesLeft - 1, attemptNo + 1, bulk, index)
                    .whenComplete((c, e) -> retry.complete(c)), 100L * (attemptNo + 1), TimeUnit.MILLISECONDS);
            return retry;
        }).thenCompose(f -> f);
    }

    /**
     * {@link #connect}, with anything it throws instead of returning as a failed attempt: thrown from inside a bulk
     * connect's callback, it would leave that bulk waiting forever. (A socket that could not even be created, e.g. at the
     * open-file limit, is already a failed future with its cause, from {@code connect} itself.)
     */
    private CompletableFuture<MqttConn> connectOrFailed(ConnectSpec spec, MqttConn.Listener listener) {
        try {
            return connect(spec, listener);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    public int openCount() {
        return open.size();
    }

    @Override
    public void close() {
        pinger.cancel(false);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The outcome of {@link #connectAll}. */
    public static final class Bulk {
        private final long startNanos = System.nanoTime();
        private long endNanos;
        private final AtomicReferenceArray<MqttConn> conns;
        final Latency latency = new Latency();
        final Latency connackLatency = new Latency();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong retried = new AtomicLong();
        final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

        Bulk(int size) {
            conns = new AtomicReferenceArray<>(size);
        }

        Bulk finish() {
            endNanos = System.nanoTime();
            return this;
        }

        /** The connections in spec order; null where connecting failed. */
        public List<MqttConn> connections() {
            List<MqttConn> out = new ArrayList<>(conns.length());
            for (int i = 0; i < conns.length(); i++) {
                out.add(conns.get(i));
            }
            return out;
        }

        public List<MqttConn> connected() {
            return connections().stream().filter(c -> c != null).toList();
        }

        /** From the start of the TCP connect to ready (CONNACK, and SUBACK when subscribing). */
        public Latency latency() {
            return latency;
        }

        /** From the start of the TCP connect to CONNACK. */
        public Latency connackLatency() {
            return connackLatency;
        }

        public long failed() {
            return failed.get();
        }

        public long retried() {
            return retried.get();
        }

        /** Failure reasons of attempts (including those retried) and their counts. */
        public Map<String, AtomicLong> failures() {
            return failures;
        }

        public double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        public double ratePerSecond() {
            return (conns.length() - failed.get()) / Math.max(1e-9, seconds());
        }
    }

    /** Disconnects (DISCONNECT + close) all given connections and waits up to 60 s for them to close. */
    public static void disconnectAll(List<MqttConn> conns) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (MqttConn c : conns) {
            if (c != null) {
                closing.add(c.disconnect());
            }
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("bench: not every connection closed within 60 s: " + e);
        }
    }
}
