package io.tether.runtime.failure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Runs an asynchronous step again, after a backoff, for as long as it fails transiently ({@link Failures}). */
public final class Retry {
    private static final Logger LOG = Logger.getLogger(Retry.class);

    private final Backoff backoff;
    private final ScheduledExecutorService scheduler;

    public Retry(Backoff backoff, ScheduledExecutorService scheduler) {
        this.backoff = backoff;
        this.scheduler = scheduler;
    }

    /** The step's result; fails with the first permanent failure, or when the scheduler stops (shutdown). */
    public <T> CompletionStage<T> whileTransient(String what, Supplier<? extends CompletionStage<T>> step) {
        return attempt(what, step, 1);
    }

    private <T> CompletionStage<T> attempt(String what, Supplier<? extends CompletionStage<T>> step, int number) {
        CompletionStage<T> stage;
        try {
            stage = step.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((value, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(value);
            }
            if (Failures.isPermanent(error)) {
                return CompletableFuture.<T>failedFuture(Failures.unwrap(error));
            }
            long delay = backoff.delay(number).toMillis();
            if (number == 1 || number % 10 == 0) {
                LOG.warnf("%s failed (%s), trying again in %d ms (attempt %d)", what, Failures.reason(error), delay, number);
            }
            CompletableFuture<T> next = new CompletableFuture<>();
            try {
                scheduler.schedule(() -> attempt(what, step, number + 1).whenComplete((v, e) -> {
                    if (e != null) {
                        next.completeExceptionally(e);
                    } else {
                        next.complete(v);
                    }
                }), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                next.completeExceptionally(stopping);
            }
            return next;
        }).thenCompose(s -> s);
    }
}
