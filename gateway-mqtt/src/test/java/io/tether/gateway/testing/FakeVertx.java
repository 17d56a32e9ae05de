package io.tether.gateway.testing;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Vertx} whose timers the test fires by hand (a {@link Proxy}), with one real event-loop context (no sockets)
 * so that code which hops onto its context, or turns stages into Vert.x futures, runs as it does in production. A test
 * drives the code on that loop with {@link #onLoop} and lets queued work finish with {@link #settle}.
 */
public final class FakeVertx {
    private static Vertx real;

    private final Map<Long, Handler<Long>> timers = new LinkedHashMap<>();
    private final Map<Long, Long> delays = new LinkedHashMap<>();
    private final List<Long> periodic = new ArrayList<>();
    private final Context context;
    private long nextId;
    private final Vertx proxy = (Vertx) Proxy.newProxyInstance(Vertx.class.getClassLoader(), new Class<?>[] {Vertx.class},
            (p, method, args) -> switch (method.getName()) {
                case "setTimer" -> add((Long) args[0], handler(args[1]), false);
                case "setPeriodic" -> add((Long) args[args.length - 2], handler(args[args.length - 1]), true);
                case "cancelTimer" -> cancel((Long) args[0]);
                case "getOrCreateContext" -> context();
                case "toString" -> "FakeVertx";
                case "hashCode" -> System.identityHashCode(this);
                case "equals" -> args[0] == p;
                default -> throw new UnsupportedOperationException("FakeVertx." + method.getName());
            });

    public FakeVertx() {
        this.context = shared().getOrCreateContext();
    }

    private static synchronized Vertx shared() {
        if (real == null) {
            real = Vertx.vertx();
        }
        return real;
    }

    @SuppressWarnings("unchecked")
    private static Handler<Long> handler(Object handler) {
        return (Handler<Long>) handler;
    }

    public Vertx vertx() {
        return proxy;
    }

    public Context context() {
        return context;
    }

    private synchronized long add(long delay, Handler<Long> handler, boolean repeat) {
        long id = ++nextId;
        timers.put(id, handler);
        delays.put(id, delay);
        if (repeat) {
            periodic.add(id);
        }
        return id;
    }

    private synchronized boolean cancel(long id) {
        delays.remove(id);
        periodic.remove(id);
        return timers.remove(id) != null;
    }

    /** Timers armed and not fired or cancelled, by delay in milliseconds. */
    public synchronized List<Long> armedDelays() {
        return new ArrayList<>(delays.values());
    }

    /** Fires every armed timer once, on the loop (one-shot timers are gone afterwards). */
    public void fireAll() {
        Map<Long, Handler<Long>> due;
        synchronized (this) {
            due = new LinkedHashMap<>(timers);
            due.keySet().stream().filter(id -> !periodic.contains(id)).forEach(id -> {
                timers.remove(id);
                delays.remove(id);
            });
        }
        onLoop(() -> due.forEach((id, handler) -> handler.handle(id)));
    }

    /** Fires, on the loop, the armed one-shot timers of {@code delayMillis} only; returns how many fired. */
    public int fire(long delayMillis) {
        Map<Long, Handler<Long>> due = new LinkedHashMap<>();
        synchronized (this) {
            delays.forEach((id, delay) -> {
                if (delay == delayMillis && !periodic.contains(id)) {
                    due.put(id, timers.get(id));
                }
            });
            due.keySet().forEach(id -> {
                timers.remove(id);
                delays.remove(id);
            });
        }
        onLoop(() -> due.forEach((id, handler) -> handler.handle(id)));
        return due.size();
    }

    /** Runs {@code action} on the event loop and waits for it (and for what it queued before it) to finish. */
    public void onLoop(Runnable action) {
        CountDownLatch done = new CountDownLatch(1);
        RuntimeException[] failure = new RuntimeException[1];
        context.runOnContext(v -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                failure[0] = e;
            } finally {
                done.countDown();
            }
        });
        try {
            if (!done.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the event loop did not run the action within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** Lets what is queued on the loop run (tasks run in order, so an empty one runs after them). */
    public void settle() {
        onLoop(() -> { });
        onLoop(() -> { });
    }
}
