package io.tether.runtime.redis;

import io.tether.runtime.failure.Backoff;
import io.tether.runtime.failure.Failures;
import io.tether.runtime.failure.PermanentFailure;
import io.tether.runtime.failure.Retry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A service's first connection to Redis, at start-up. Redis may be away just then (an outage, a failover, a cold
 * cluster): failing at once would make every pod that restarts during an outage crash-loop, and Kubernetes' growing
 * restart delay could keep it down minutes after Redis is back. So the connection is tried again with backoff, each
 * failure logged by {@link Retry} (the first, then every tenth), for at most {@code wait}; after that start-up fails
 * with a message naming the setting. Credentials Redis refuses fail start-up at once
 * ({@link Failures#credentialRefusal}). Once connected, Lettuce reconnects by itself ({@link RedisConnections}).
 * Blocks the calling thread: start-up's, never an event loop.
 */
public final class InitialConnect {
    /** The setting {@code wait} comes from, named in the failure. */
    static final String SETTING = "tether.redis.startup-wait";

    private InitialConnect() {
    }

    /**
     * @param connect starts one attempt
     * @param discard closes a connection made only after start-up gave up (the attempt in flight then)
     * @throws IllegalStateException when Redis did not answer within {@code wait}, or refused the connection for good
     */
    public static <C> C await(Supplier<? extends CompletionStage<C>> connect, Duration wait, Backoff backoff, Consumer<C> discard) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tether-redis-connect");
            thread.setDaemon(true);
            return thread;
        });
        AtomicReference<Throwable> lastFailure = new AtomicReference<>();
        CompletableFuture<C> connected = new Retry(backoff, scheduler).<C>whileTransient("connecting to Redis at start-up",
                () -> connect.get().handle((c, error) -> {
                    if (error == null) {
                        return c;
                    }
                    lastFailure.set(error);
                    Optional<String> refused = Failures.credentialRefusal(error);
                    if (refused.isPresent()) {
                        // Retrying cannot help: it would only hide the setting to fix behind the whole wait.
                        throw new PermanentFailure("it refused the credentials of tether.redis.uri (" + refused.get() + ")", error);
                    }
                    throw error instanceof CompletionException wrapped ? wrapped : new CompletionException(error);
                })).toCompletableFuture();
        try {
            return connected.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            connected.thenAccept(discard);
            Throwable last = lastFailure.get();
            throw new IllegalStateException(String.format("Redis did not answer within %d s of start-up (%s); last failure: %s",
                    wait.toSeconds(), SETTING, last == null ? "none, the first attempt is still waiting" : Failures.reason(last)));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot connect to Redis: " + Failures.reason(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connected.thenAccept(discard);
            throw new IllegalStateException("interrupted while connecting to Redis", e);
        } finally {
            // Drops the next attempt, if one is waiting; one in flight ends in the discard above.
            scheduler.shutdownNow();
        }
    }
}
