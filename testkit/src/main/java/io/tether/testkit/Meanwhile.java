package io.tether.testkit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A start that needs nothing of the steps before it (the APNs mock and its keytool certificate, the S3 server), run on
 * a thread of its own while they go on; the launcher takes its result with {@link #awaited} where it needs it.
 */
public final class Meanwhile {
    private Meanwhile() {
    }

    /** Runs {@code start} on a daemon thread of its own, named after {@code what}. */
    public static <T> CompletableFuture<T> start(String what, Supplier<T> start) {
        return CompletableFuture.supplyAsync(start, runnable -> {
            Thread thread = new Thread(runnable, "tether-start-" + what);
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** What {@code started} gave, once it did, or its failure as thrown. */
    public static <T> T awaited(CompletableFuture<T> started) {
        try {
            return started.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Closes what {@code started} gives once it has given it (at once if it already has): for a start nobody will
     * {@link #awaited await} because a step beside it failed. A failed start has nothing to close, and its failure is
     * not the one to report; nor does a failed close replace it (it is printed).
     */
    public static void closeWhenDone(CompletableFuture<? extends AutoCloseable> started) {
        started.whenComplete((closeable, failure) -> {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.err.println("tether: closing " + closeable + " after a failed start: " + e);
                }
            }
        });
    }
}
