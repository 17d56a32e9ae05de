package io.tether.webhook.registry;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Whether webhook-service may call a URL: not when its host is, or resolves to, an address inside the network it runs
 * in (loopback, link-local such as the cloud metadata endpoint 169.254.169.254, private, unique local, unspecified,
 * multicast), so that a registered webhook cannot make it a proxy into the cluster. Checked at registration and again
 * before each attempt (a name may resolve elsewhere later). Off with {@code allowPrivate} (a local run, tests).
 *
 * <p>A host given as an IP address is parsed, not looked up; a name is resolved on {@code executor} (the lookup blocks),
 * within {@code timeout}. A name resolved once here and again by the HTTP client may differ (DNS rebinding): the
 * egress NetworkPolicy remains the boundary for that.
 */
public final class DestinationCheck {
    /** Resolves a host to its addresses, as {@link InetAddress#getAllByName} does. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;
    private final Executor executor;
    private final Duration timeout;
    /** Host names being looked up now. */
    private final java.util.concurrent.ConcurrentHashMap<String, CompletableFuture<Optional<String>>> lookups =
            new java.util.concurrent.ConcurrentHashMap<>();

    public DestinationCheck(boolean allowPrivate, Resolver resolver, Executor executor, Duration timeout) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
        this.executor = executor;
        this.timeout = timeout;
    }

    /**
     * Why {@code url} must not be called, or empty when it may. Fails with a {@link java.util.concurrent.TimeoutException}
     * when its host did not resolve within the timeout.
     */
    public CompletionStage<Optional<String>> refusal(String url) {
        if (allowPrivate) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Optional.of("is not a valid URL"));
        }
        if (host == null || host.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.of("must name a host"));
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (isLiteral(bare)) {
            // An address needs no lookup: checked here, never queued behind a slow name server.
            return CompletableFuture.completedFuture(refusalOfHost(bare));
        }
        // One lookup per host at a time (later callers share it): a host whose name server hangs takes one thread,
        // not the whole pool, and the other webhooks' checks go on.
        CompletableFuture<Optional<String>> lookup = new CompletableFuture<>();
        CompletableFuture<Optional<String>> running = lookups.putIfAbsent(bare, lookup);
        if (running == null) {
            running = lookup;
            try {
                CompletableFuture.supplyAsync(() -> refusalOfHost(bare), executor).whenComplete((verdict, error) -> {
                    lookups.remove(bare, lookup);
                    if (error != null) {
                        lookup.completeExceptionally(error);
                    } else {
                        lookup.complete(verdict);
                    }
                });
            } catch (RuntimeException e) { // the pool is shutting down
                lookups.remove(bare, lookup);
                lookup.completeExceptionally(e);
            }
        }
        return running.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An IPv4 or IPv6 literal (InetAddress resolves those without asking a name server). */
    static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    private Optional<String> refusalOfHost(String host) {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("names a host that does not resolve (" + host + ")");
        } catch (RuntimeException e) {
            throw new CompletionException(e);
        }
        // Any address refused refuses the host: the client may connect to any of them.
        for (InetAddress address : addresses) {
            Optional<String> kind = kind(address);
            if (kind.isPresent()) {
                return Optional.of("names a " + kind.get() + " address (" + address.getHostAddress() + "): webhooks reach public "
                        + "addresses only, unless tether.webhooks.allow-private-destinations is true");
            }
        }
        return Optional.empty();
    }

    /** Whether the IPv4 address is in {@code a.b.0.0/prefix} (prefix from 8 to 16, or 24 for a.b.0). */
    private static boolean isIn(byte[] v4, int a, int b, int prefix) {
        if ((v4[0] & 0xff) != a) {
            return false;
        }
        if (prefix == 24) {
            return (v4[1] & 0xff) == b && v4[2] == 0;
        }
        int mask = 0xff << (16 - prefix) & 0xff;
        return ((v4[1] & 0xff) & mask) == b;
    }

    /** The kind of an address webhooks must not reach, or empty for a public one. */
    static Optional<String> kind(InetAddress address) {
        byte[] bytes = address.getAddress();
        // 0.0.0.0/8 too: "this network", which Linux connects to as the local host.
        if (address.isAnyLocalAddress() || address instanceof Inet4Address && bytes[0] == 0) {
            return Optional.of("unspecified");
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        // ::a.b.c.d (IPv4-mapped ones, ::ffff:a.b.c.d, are IPv4 addresses in Java already).
        if (address instanceof Inet6Address v6 && v6.isIPv4CompatibleAddress()) {
            try {
                return kind(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("four bytes are an IPv4 address", e);
            }
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        // 10/8, 172.16/12, 192.168/16 (and IPv6's deprecated site-local fec0::/10); unique local fc00::/7.
        if (address.isSiteLocalAddress() || address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc) {
            return Optional.of("private");
        }
        if (address instanceof Inet4Address && (isIn(bytes, 100, 64, 10) || isIn(bytes, 198, 18, 15) || isIn(bytes, 192, 0, 24))) {
            // 100.64/10 shared address space (carrier-grade NAT, some clouds' metadata and pod networks),
            // 198.18/15 benchmarking, 192.0.0/24 protocol assignments.
            return Optional.of("private");
        }
        // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last four bytes.
        if (address instanceof Inet6Address && bytes[0] == 0 && bytes[1] == 0x64 && (bytes[2] & 0xff) == 0xff
                && (bytes[3] & 0xff) == 0x9b && Arrays.equals(Arrays.copyOfRange(bytes, 4, 12), new byte[8])) {
            try {
                return kind(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("four bytes are an IPv4 address", e);
            }
        }
        return Optional.empty();
    }
}
