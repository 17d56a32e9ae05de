package io.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** closeWhenDone closes what a start gave, whenever it gives it, nothing when it gave nothing, and says when a close failed. */
class MeanwhileTest {
    private final AtomicInteger closes = new AtomicInteger();
    private final AutoCloseable counted = closes::incrementAndGet;

    @Test
    void closesWhatAStartGivesOnceItGivesIt() {
        CompletableFuture<AutoCloseable> starting = new CompletableFuture<>();
        Meanwhile.closeWhenDone(starting);
        assertEquals(0, closes.get(), "nothing to close while it is still starting");

        starting.complete(counted); // the dependent action runs on the completing thread, before complete returns
        assertEquals(1, closes.get());
    }

    @Test
    void closesAtOnceWhatAStartAlreadyGave() {
        Meanwhile.closeWhenDone(CompletableFuture.completedFuture(counted));
        assertEquals(1, closes.get());
    }

    @Test
    void aFailedStartOrOneThatGaveNothingIsLeftAlone() {
        CompletableFuture<AutoCloseable> failing = new CompletableFuture<>();
        Meanwhile.closeWhenDone(failing);
        assertDoesNotThrow(() -> failing.completeExceptionally(new IllegalStateException("no port")));
        assertDoesNotThrow(() -> Meanwhile.closeWhenDone(CompletableFuture.completedFuture(null)));
        assertEquals(0, closes.get());
    }

    @Test
    void aFailedCloseIsPrinted() {
        CompletableFuture<AutoCloseable> starting = new CompletableFuture<>();
        Meanwhile.closeWhenDone(starting);
        AutoCloseable failingClose = new AutoCloseable() {
            @Override
            public void close() {
                throw new IllegalStateException("already gone");
            }

            @Override
            public String toString() {
                return "the mock";
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            starting.complete(failingClose);
        } finally {
            System.setErr(stderr);
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("closing the mock after a failed start: "
                + "java.lang.IllegalStateException: already gone"), err.toString(StandardCharsets.UTF_8));
    }
}
