package io.tether.sim;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Asks again until an answer satisfies a condition or a deadline passes, on a delayed executor (nothing sleeps). */
final class Waits {
    private static final Duration EVERY = Duration.ofMillis(200);

    private Waits() {
    }

    /** The first answer of {@code probe} that satisfies {@code done}, or the last one when the deadline passed. */
    static <T> T until(Supplier<T> probe, Predicate<T> done, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        T answer = probe.get();
        while (!done.test(answer) && System.nanoTime() < end) {
            try {
                answer = CompletableFuture.supplyAsync(probe, CompletableFuture.delayedExecutor(EVERY.toMillis(), TimeUnit.MILLISECONDS)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        return answer;
    }
}
