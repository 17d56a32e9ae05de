package io.tether.inbox;

import io.tether.runtime.redis.LuaScript;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The inbox scripts, each with lib.lua in front of it: one copy of the shared Lua, one atomic script per call. */
final class InboxScripts {
    static final LuaScript ROUTE = load("route.lua");
    static final LuaScript PRESENCE = load("presence.lua");
    static final LuaScript ACK = load("ack.lua");
    static final LuaScript RESYNC = load("resync.lua");
    static final LuaScript PUSH_CONFIRM = load("push-confirm.lua");
    static final LuaScript PUSHED = load("pushed.lua");
    static final LuaScript EXPIRE = load("expire.lua");
    static final LuaScript PUMP = load("pump.lua");
    static final LuaScript PENDING = load("pending.lua");
    static final LuaScript DIRECT = load("direct.lua");
    static final LuaScript FETCH_ACK = load("fetch-ack.lua");

    private InboxScripts() {
    }

    private static LuaScript load(String name) {
        return new LuaScript(read("lib.lua") + "\n" + read(name));
    }

    private static String read(String name) {
        try (InputStream in = InboxScripts.class.getResourceAsStream("/lua/inbox/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing script lua/inbox/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
