package io.tether.webhook.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class DestinationCheckTest {
    /** Names resolved by the test; an IP address is parsed (no look-up), as the JDK does. */
    private static final Map<String, String[]> NAMES = Map.of(
            "public.example", new String[] {"93.184.216.34"},
            "metadata.example", new String[] {"169.254.169.254"},
            "mixed.example", new String[] {"93.184.216.34", "10.0.0.5"},
            "v6.example", new String[] {"2606:2800:220:1::1"});

    private final DestinationCheck check = new DestinationCheck(false, DestinationCheckTest::resolve, Runnable::run, Duration.ofSeconds(5));

    @Test
    void addressesInsideTheNetworkAreRefusedByKind() throws Exception {
        Map<String, String> kinds = Map.ofEntries(
                Map.entry("http://127.0.0.1:8080/hook", "loopback"),
                Map.entry("http://127.9.9.9/", "loopback"),
                Map.entry("http://[::1]/", "loopback"),
                Map.entry("http://169.254.169.254/latest/meta-data", "link-local"),
                Map.entry("http://[fe80::1]/", "link-local"),
                Map.entry("http://10.1.2.3/", "private"),
                Map.entry("http://172.16.0.1/", "private"),
                Map.entry("http://172.31.255.255/", "private"),
                Map.entry("http://192.168.1.1/", "private"),
                Map.entry("http://[fc00::1]/", "private"),
                Map.entry("http://[fd12:3456::1]/", "private"),
                Map.entry("http://0.0.0.0/", "unspecified"),
                Map.entry("http://0.1.2.3/", "unspecified"),
                Map.entry("http://[::]/", "unspecified"),
                Map.entry("http://224.0.0.1/", "multicast"),
                Map.entry("http://[ff02::1]/", "multicast"),
                Map.entry("http://[::ffff:127.0.0.1]/", "loopback"),
                Map.entry("http://[::10.0.0.1]/", "private"),
                Map.entry("http://100.100.100.200/latest/meta-data", "private"),
                Map.entry("http://100.64.0.1/", "private"),
                Map.entry("http://198.19.0.1/", "private"),
                Map.entry("http://192.0.0.170/", "private"),
                Map.entry("http://[64:ff9b::a9fe:a9fe]/", "link-local"),
                Map.entry("http://[64:ff9b::a00:5]/", "private"));
        for (Map.Entry<String, String> url : kinds.entrySet()) {
            String refusal = refusal(url.getKey()).orElseThrow(() -> new AssertionError(url.getKey() + " was allowed"));
            assertTrue(refusal.startsWith("names a " + url.getValue() + " address"), url.getKey() + ": " + refusal);
        }
    }

    @Test
    void publicAddressesAreAllowed() throws Exception {
        for (String url : new String[] {"https://93.184.216.34/hook", "http://[2606:2800:220:1::1]:8443/", "http://172.32.0.1/",
                "http://100.128.0.1/", "http://198.20.0.1/", "http://[64:ff9b::5db8:d822]/",
                "http://11.0.0.1/", "http://192.169.0.1/", "https://public.example/hook", "https://v6.example/"}) {
            assertEquals(Optional.empty(), refusal(url), url);
        }
    }

    @Test
    void aNameIsRefusedWhenAnyOfItsAddressesIsInsideTheNetwork() throws Exception {
        assertTrue(refusal("https://metadata.example/").orElseThrow().startsWith("names a link-local address (169.254.169.254)"));
        assertTrue(refusal("https://mixed.example/").orElseThrow().startsWith("names a private address (10.0.0.5)"));
    }

    @Test
    void aNameThatDoesNotResolveOrAUrlWithoutHostIsRefused() throws Exception {
        assertTrue(refusal("https://nowhere.example/").orElseThrow().startsWith("names a host that does not resolve"));
        assertEquals(Optional.of("must name a host"), refusal("http:///hook"));
    }

    @Test
    void withPrivateDestinationsAllowedNothingIsLookedUp() throws Exception {
        DestinationCheck open = new DestinationCheck(true, host -> {
            throw new AssertionError("looked up " + host);
        }, Runnable::run, Duration.ofSeconds(5));

        assertEquals(Optional.empty(), open.refusal("http://127.0.0.1:8085/hook").toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(Optional.empty(), open.refusal("http://internal.example/hook").toCompletableFuture().get(5, TimeUnit.SECONDS));
    }

    @Test
    void aNameWhoseLookUpHangsHoldsUpNeitherAddressesNorOtherNames() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger slowLookups = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService lookups = Executors.newFixedThreadPool(2);
        try {
            DestinationCheck check = new DestinationCheck(false, host -> {
                if (host.equals("slow.example")) {
                    slowLookups.incrementAndGet();
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return resolve(host);
            }, lookups, Duration.ofSeconds(2));

            var first = check.refusal("https://slow.example/a").toCompletableFuture();
            var second = check.refusal("https://slow.example/b").toCompletableFuture();
            assertEquals(Optional.empty(), check.refusal("https://93.184.216.34/").toCompletableFuture().get(1, TimeUnit.SECONDS),
                    "an address is checked without a look-up");
            assertEquals(Optional.empty(), check.refusal("https://public.example/").toCompletableFuture().get(1, TimeUnit.SECONDS),
                    "the hanging host takes one look-up thread, not both");
            assertInstanceOf(TimeoutException.class, assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS)).getCause());
            assertInstanceOf(TimeoutException.class, assertThrows(ExecutionException.class, () -> second.get(10, TimeUnit.SECONDS)).getCause());
            // Both checks timed out waiting for it: by then the one look-up had long started (a free thread took it).
            assertEquals(1, slowLookups.get(), "one look-up for the two checks of the hanging host");
        } finally {
            never.countDown();
            lookups.shutdownNow();
        }
    }

    @Test
    void aLookUpThatHangsEndsInATimeout() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        ExecutorService lookups = Executors.newSingleThreadExecutor();
        try {
            DestinationCheck slow = new DestinationCheck(false, host -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new UnknownHostException(host);
            }, lookups, Duration.ofMillis(100));

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> slow.refusal("https://slow.example/").toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, failed.getCause());
        } finally {
            lookups.shutdownNow();
        }
    }

    private Optional<String> refusal(String url) throws Exception {
        return check.refusal(url).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String[] addresses = NAMES.get(host);
        if (addresses == null) {
            if (!Character.isDigit(host.charAt(0)) && !host.contains(":")) {
                throw new UnknownHostException(host);
            }
            return InetAddress.getAllByName(host);
        }
        InetAddress[] resolved = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            resolved[i] = InetAddress.getByName(addresses[i]);
        }
        return resolved;
    }
}
