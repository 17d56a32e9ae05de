package io.tether.webhook.delivery;

import io.lettuce.core.api.async.RedisAsyncCommands;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Redis commands that run {@code between} once, just before the first {@code command} they are asked to send: another
 * client's step placed at an exact point of a sequence of commands, to show what a race between them does.
 */
final class Interleaving {
    private final RedisAsyncCommands<String, String> commands;
    private final Runnable between;
    private final AtomicBoolean ran = new AtomicBoolean();

    @SuppressWarnings("unchecked")
    Interleaving(RedisAsyncCommands<String, String> delegate, String command, Runnable between) {
        this.between = between;
        this.commands = (RedisAsyncCommands<String, String>) Proxy.newProxyInstance(RedisAsyncCommands.class.getClassLoader(),
                new Class<?>[] {RedisAsyncCommands.class}, (proxy, method, args) -> {
                    if (method.getName().equals(command)) {
                        runIfNotYet();
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    RedisAsyncCommands<String, String> commands() {
        return commands;
    }

    /** Runs the step unless it ran already. */
    void runIfNotYet() {
        if (ran.compareAndSet(false, true)) {
            between.run();
        }
    }
}
