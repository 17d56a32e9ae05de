package io.tether.gateway.mqtt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tether.contract.DeviceId;
import io.tether.gateway.store.GatewayStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Checks a device's credentials. Passwords are 256-bit random secrets, so one SHA-256 is enough (no slow hash); a TLS
 * client certificate whose CN is the device id also authenticates the device.
 *
 * <p>CONNECT checks against what connect.lua just read of the device ({@link #matches}), uncached, so a deleted or
 * revoked device is refused at once however it authenticates. {@link #authenticate} (for device HTTPS requests) caches
 * a verified password briefly, so that a burst of requests is not a Redis read each. That cache cannot outlive a
 * revocation: the registry's announcement drops the device's entry ({@link #forget}); a lost subscription, which is
 * the only way to miss one, drops every entry when it comes back ({@link #forgetAll}); a lookup that raced a change is
 * not cached; and the TTL bounds anything else. Entries leave memory when their TTL is over, and the cache holds at
 * most {@link #MAX_CACHED} devices (the least recently used beyond that are read from Redis again).
 */
public final class DeviceAuthenticator {
    /** A device id, a 64-character hash and the cache's node: an estimated 250 bytes each, some 12 MB at most. */
    static final int MAX_CACHED = 50_000;
    private final GatewayStore store;
    private final long cacheMillis;
    private final Cache<String, Verified> verified;
    /** Raised by every forget: a lookup that started before one may have read what it forgot. */
    private final AtomicLong changes = new AtomicLong();

    private record Verified(String hash, long untilMillis) {
    }

    public DeviceAuthenticator(GatewayStore store, Duration cacheTtl) {
        this(store, cacheTtl, Ticker.systemTicker());
    }

    /** @param ticker the clock that expires entries from memory (a check itself also compares its own deadline) */
    DeviceAuthenticator(GatewayStore store, Duration cacheTtl, Ticker ticker) {
        this.store = store;
        this.cacheMillis = cacheTtl.toMillis();
        // Maintenance runs on the caller's thread: a few map operations, no pool needed.
        this.verified = Caffeine.newBuilder().maximumSize(MAX_CACHED).expireAfterWrite(cacheTtl).ticker(ticker)
                .executor(Runnable::run).build();
    }

    /** Devices whose verified password the cache holds, once expired entries are removed. */
    long cached() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    /** True when {@code password} is the device's secret. The username, when given, must be the device id. */
    public CompletionStage<Boolean> authenticate(String deviceId, String username, String password) {
        if (!DeviceId.isValid(deviceId) || password == null || (username != null && !username.isEmpty() && !username.equals(deviceId))) {
            return CompletableFuture.completedFuture(false);
        }
        String presented = sha256Hex(password);
        Verified cached = verified.getIfPresent(deviceId);
        long now = System.currentTimeMillis();
        if (cached != null && cached.untilMillis() > now && equal(cached.hash(), presented)) {
            return CompletableFuture.completedFuture(true);
        }
        long changesBefore = changes.get();
        return store.secretHash(deviceId).thenApply(stored -> {
            boolean ok = stored.map(hash -> equal(hash, presented)).orElse(false);
            if (ok && cacheMillis > 0 && changes.get() == changesBefore) {
                verified.put(deviceId, new Verified(presented, now + cacheMillis));
            }
            return ok;
        });
    }

    /** The device's credentials changed (rotated, revoked, deleted): its next check reads Redis again. */
    public void forget(String deviceId) {
        changes.incrementAndGet();
        verified.invalidate(deviceId);
    }

    /** Changes may have been missed (the subscription was lost): every next check reads Redis again. */
    public void forgetAll() {
        changes.incrementAndGet();
        verified.invalidateAll();
    }

    /**
     * True when {@code password} is the secret whose hash was just read ({@code storedHash}, empty when the device has
     * none). What CONNECT uses: it reads the hash with everything else, so no cache can hold a revoked secret.
     */
    public static boolean matches(String deviceId, String username, String password, String storedHash) {
        if (!DeviceId.isValid(deviceId) || password == null || storedHash == null || storedHash.isEmpty()
                || (username != null && !username.isEmpty() && !username.equals(deviceId))) {
            return false;
        }
        return equal(storedHash, sha256Hex(password));
    }

    /** The device id a verified TLS client certificate names (its subject CN), if any. */
    public static Optional<String> certificateDeviceId(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
                return Optional.empty();
            }
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
            return Optional.empty();
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            return Optional.empty();
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    static String sha256Hex(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
