package io.tether.runtime.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run by EVALSHA, sent in full (EVAL) only when Redis does not have it cached, e.g. after a restart.
 * The one way every service runs scripts: the script is atomic, and keys that share a hash tag keep it on one
 * Redis Cluster node.
 */
public final class LuaScript {
    private final String source;
    private final String sha1;

    public LuaScript(String source) {
        this.source = source;
        this.sha1 = sha1Hex(source);
    }

    /** The script {@code lua/<name>} on the class path of {@code owner}. */
    public static LuaScript load(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream("/lua/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing script lua/" + name);
            }
            return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String sha1() {
        return sha1;
    }

    public <T> CompletionStage<T> run(RedisAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
            String... args) {
        return redis.<T>evalsha(sha1, type, keys, args).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return cause instanceof RedisNoScriptException
                    ? redis.<T>eval(source, type, keys, args)
                    : CompletableFuture.failedStage(cause);
        });
    }

    private static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
