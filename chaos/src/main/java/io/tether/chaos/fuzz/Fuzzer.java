package io.tether.chaos.fuzz;

import io.tether.chaos.device.Credentials;
import io.tether.chaos.mqtt.MqttPackets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Attacks one gateway's MQTT port from several threads: sessions of generated and damaged packets (after a good
 * CONNECT or instead of one), random byte streams, packets announcing up to 268,435,455 bytes, connection floods, and
 * a standing crowd of slow-loris connections that trickle a CONNECT one byte at a time.
 */
public final class Fuzzer {
    /** What a worker does in one round. */
    public enum Attack { SESSION, NOISE, HUGE_LENGTH, FLOOD }

    private static final int SLOW_LORIS = 40;
    private static final long SLOW_LORIS_BYTE_NANOS = Duration.ofMillis(500).toNanos();
    private static final int FLOOD = 150;

    private final int port;
    private final List<Credentials> devices;
    private final long seed;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private volatile long deadline;

    public Fuzzer(int port, List<Credentials> devices, long seed) {
        this.port = port;
        this.devices = devices;
        this.seed = seed;
    }

    /** Runs {@code workers} attack threads and the slow-loris crowd for {@code duration}, then closes every socket. */
    public Map<String, Long> run(Duration duration, int workers) throws InterruptedException {
        deadline = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Random random = new Random(seed + i);
            threads.add(started(new Thread(() -> attackLoop(random), "chaos-fuzz-" + i)));
        }
        threads.add(started(new Thread(() -> slowLoris(new Random(seed - 1)), "chaos-slow-loris")));
        for (Thread thread : threads) {
            thread.join(duration.toMillis() + 30_000);
        }
        open.forEach(Fuzzer::closeQuietly);
        open.clear();
        Map<String, Long> out = new java.util.TreeMap<>();
        counts.forEach((key, value) -> out.put(key, value.get()));
        return out;
    }

    private static Thread started(Thread thread) {
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private boolean running() {
        return System.nanoTime() < deadline;
    }

    private void count(String what) {
        counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    private void attackLoop(Random random) {
        Mutator mutator = new Mutator(random);
        PacketFactory factory = new PacketFactory(random);
        while (running()) {
            int roll = random.nextInt(100);
            Attack attack = roll < 65 ? Attack.SESSION : roll < 80 ? Attack.NOISE : roll < 95 ? Attack.HUGE_LENGTH : Attack.FLOOD;
            count("attacks." + attack.name().toLowerCase());
            try {
                switch (attack) {
                    case SESSION -> session(random, mutator, factory);
                    case NOISE -> oneShot(mutator.noise(4096));
                    case HUGE_LENGTH -> hugeLength(random, mutator, factory);
                    case FLOOD -> flood(random, factory);
                }
            } catch (IOException e) {
                count("io-errors"); // the gateway closed on us: what it should do with garbage
            }
        }
    }

    /** A connection with up to 30 packets, each generated and damaged half of the time; often after a valid CONNECT. */
    private void session(Random random, Mutator mutator, PacketFactory factory) throws IOException {
        int version = random.nextBoolean() ? MqttPackets.V5 : MqttPackets.V311;
        Credentials device = devices.get(random.nextInt(devices.size()));
        try (Tracked tracked = new Tracked(connect())) {
            Socket socket = tracked.socket;
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            if (random.nextInt(10) < 6) {
                send(out, factory.connect(version, device, true), "connect-valid");
                drain(in);
            }
            int packets = 1 + random.nextInt(30);
            for (int i = 0; i < packets && running(); i++) {
                PacketFactory.Type type = factory.pick();
                byte[] packet = factory.make(type, version, device);
                if (random.nextBoolean()) {
                    Mutator.Mutation mutation = mutator.pick();
                    packet = mutator.mutate(packet, mutation);
                    count("mutations." + mutation.name().toLowerCase());
                }
                send(out, packet, "packets." + type.name().toLowerCase() + ".v" + version);
                if (drain(in)) {
                    count("closed-by-gateway");
                    break;
                }
            }
            end(socket, random);
        }
    }

    /** A header claiming up to 268,435,455 bytes, then up to 2 MiB of them: the gateway must refuse without allocating it. */
    private void hugeLength(Random random, Mutator mutator, PacketFactory factory) throws IOException {
        try (Tracked tracked = new Tracked(connect())) {
            Socket socket = tracked.socket;
            OutputStream out = socket.getOutputStream();
            byte[] packet = factory.make(factory.pick(), random.nextBoolean() ? MqttPackets.V5 : MqttPackets.V311,
                    devices.get(random.nextInt(devices.size())));
            send(out, mutator.mutate(packet, Mutator.Mutation.HUGE_LENGTH), "huge-length");
            byte[] chunk = new byte[64 * 1024];
            int chunks = random.nextInt(33);
            for (int i = 0; i < chunks && running(); i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
            if (drain(socket.getInputStream())) {
                count("closed-by-gateway");
            }
        }
    }

    /** {@value #FLOOD} connections at once, each with a wrong password, half a CONNECT or nothing, then all dropped. */
    private void flood(Random random, PacketFactory factory) {
        List<Socket> crowd = new ArrayList<>();
        try {
            for (int i = 0; i < FLOOD && running(); i++) {
                Socket socket = connect();
                crowd.add(socket);
                byte[] connect = factory.connect(random.nextBoolean() ? MqttPackets.V5 : MqttPackets.V311,
                        devices.get(random.nextInt(devices.size())), false);
                switch (random.nextInt(3)) {
                    case 0 -> send(socket.getOutputStream(), connect, "flood.connect-wrong-password");
                    case 1 -> send(socket.getOutputStream(), java.util.Arrays.copyOf(connect, connect.length / 2), "flood.half-connect");
                    default -> count("flood.silent");
                }
            }
        } catch (IOException e) {
            count("flood.refused");
        } finally {
            crowd.forEach(this::release);
        }
    }

    /** Keeps {@value #SLOW_LORIS} connections each sending a valid CONNECT one byte every 500 ms. */
    private void slowLoris(Random random) {
        PacketFactory factory = new PacketFactory(random);
        List<Socket> sockets = new ArrayList<>();
        List<byte[]> pending = new ArrayList<>();
        List<Integer> sentBytes = new ArrayList<>();
        List<Long> openedAt = new ArrayList<>();
        AtomicLong closedMillis = new AtomicLong();
        while (running()) {
            while (sockets.size() < SLOW_LORIS && running()) {
                try {
                    sockets.add(connect());
                    pending.add(factory.connect(random.nextBoolean() ? MqttPackets.V5 : MqttPackets.V311,
                            devices.get(random.nextInt(devices.size())), true));
                    sentBytes.add(0);
                    openedAt.add(System.nanoTime());
                    count("slow-loris.opened");
                } catch (IOException e) {
                    count("slow-loris.refused");
                    break;
                }
            }
            for (int i = sockets.size() - 1; i >= 0; i--) {
                Socket socket = sockets.get(i);
                int at = sentBytes.get(i);
                boolean gone;
                try {
                    if (at < pending.get(i).length) {
                        socket.getOutputStream().write(pending.get(i)[at]);
                        sentBytes.set(i, at + 1);
                        count("slow-loris.bytes");
                    }
                    gone = drain(socket.getInputStream());
                } catch (IOException e) {
                    gone = true;
                }
                if (gone) {
                    count("slow-loris.closed-by-gateway");
                    closedMillis.addAndGet((System.nanoTime() - openedAt.get(i)) / 1_000_000);
                    release(socket);
                    sockets.remove(i);
                    pending.remove(i);
                    sentBytes.remove(i);
                    openedAt.remove(i);
                }
            }
            LockSupport.parkNanos(SLOW_LORIS_BYTE_NANOS); // the trickle's pace
        }
        counts.computeIfAbsent("slow-loris.closed-after-ms-total", k -> new AtomicLong()).addAndGet(closedMillis.get());
        sockets.forEach(this::release);
    }

    private void oneShot(byte[] bytes) throws IOException {
        try (Tracked tracked = new Tracked(connect())) {
            Socket socket = tracked.socket;
            send(socket.getOutputStream(), bytes, "noise");
            if (drain(socket.getInputStream())) {
                count("closed-by-gateway");
            }
        }
    }

    /** A socket that leaves the open set when closed. */
    private final class Tracked implements AutoCloseable {
        final Socket socket;

        Tracked(Socket socket) {
            this.socket = socket;
        }

        @Override
        public void close() {
            release(socket);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(1);
        open.add(socket);
        count("connections");
        return socket;
    }

    private void send(OutputStream out, byte[] packet, String what) throws IOException {
        out.write(packet);
        out.flush();
        count(what);
        count("packets");
    }

    /** Reads what the gateway sent so far without waiting; true when it closed the connection. */
    private static boolean drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        while (true) {
            try {
                if (in.read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
    }

    /** Closes as a client might: a DISCONNECT-less FIN, or a reset. */
    private void end(Socket socket, Random random) throws IOException {
        if (random.nextBoolean()) {
            socket.setSoLinger(true, 0);
        }
        release(socket);
    }

    private void release(Socket socket) {
        open.remove(socket);
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closed already.
        }
    }
}
