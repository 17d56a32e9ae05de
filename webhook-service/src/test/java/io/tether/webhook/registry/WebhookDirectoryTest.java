package io.tether.webhook.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lettuce.core.RedisConnectionException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WebhookDirectoryTest {
    private static final Webhook HOOK = new Webhook("wh_1", "https://example.com/hook", "com.a", null, List.of("message.status"), "whsec_x", 1);

    private final AtomicReference<CompletionStage<List<Webhook>>> next = new AtomicReference<>();
    private final WebhookDirectory directory = new WebhookDirectory(next::get);

    @Test
    void untilTheWebhooksHaveBeenReadOnceTheyAreNotKnown() throws Exception {
        next.set(CompletableFuture.failedFuture(new RedisConnectionException("refused")));
        directory.refresh().toCompletableFuture().get(5, TimeUnit.SECONDS);

        ExecutionException failed = assertThrows(ExecutionException.class, () -> directory.known().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(WebhooksNotRead.class, failed.getCause().getClass());
        assertEquals(List.of(), directory.all());
    }

    @Test
    void aFailedReadKeepsTheWebhooksReadBefore() throws Exception {
        next.set(CompletableFuture.completedFuture(List.of(HOOK)));
        directory.refresh().toCompletableFuture().get(5, TimeUnit.SECONDS);
        next.set(CompletableFuture.failedFuture(new RedisConnectionException("refused")));
        directory.refresh().toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(List.of(HOOK), directory.known().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(List.of(HOOK), directory.all());
    }
}
