package io.tether.rest.auth;

import java.util.Set;

/** The scopes a backend API key can hold. {@link #ADMIN} implies every other scope. */
public final class Scopes {
    /** {@code POST /v1/messages}, and reading a message's status. */
    public static final String MESSAGES_SEND = "messages:send";
    /** Reading devices, users' devices and grants. */
    public static final String DEVICES_READ = "devices:read";
    /** Creating, changing and removing devices, their grants, credentials and push tokens; implies nothing else. */
    public static final String DEVICES_WRITE = "devices:write";
    /** Registering webhooks and reading their delivery log and dead letters (webhook-service). */
    public static final String WEBHOOKS_MANAGE = "webhooks:manage";
    /** Managing API keys; holds every other scope too. */
    public static final String ADMIN = "admin";

    /** Every scope a key may be created with. */
    public static final Set<String> ALL = Set.of(MESSAGES_SEND, DEVICES_READ, DEVICES_WRITE, WEBHOOKS_MANAGE, ADMIN);

    private Scopes() {
    }

    public static boolean isKnown(String scope) {
        return ALL.contains(scope);
    }
}
