package io.tether.registry.store;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** How the registry's stores report Redis failures. */
public final class StoreFailures {
    private StoreFailures() {
    }

    /**
     * Connection loss and timeouts become {@link StoreUnavailableException} ("try again later"); a Redis
     * error reply is a bug and stays as it is.
     */
    public static <T> CompletionStage<T> translate(CompletionStage<T> stage) {
        return stage.handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof RedisException && !(cause instanceof RedisCommandExecutionException)) {
                throw new StoreUnavailableException(cause);
            }
            throw failure instanceof CompletionException completion ? completion : new CompletionException(cause);
        });
    }
}
