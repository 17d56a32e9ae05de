package io.tether.push.apns;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.OpenSsl;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The APNs clients of all configured apps: exactly one per (credentials, environment). A Pushy client is
 * long-lived and owns its connection pool; creating one per request or per app would multiply connections and
 * provider tokens (Apple answers TooManyProviderTokenUpdates). Pushy 0.15 signs one token per connection and
 * renews it every 50 minutes, within Apple's 20–60 minute window. Clients connect on first use.
 */
public final class ApnsClients implements ApnsRoutes, AutoCloseable {
    private final Map<String, Map<ApnsEnvironment, ApnsClient>> byBundleId;
    private final Map<String, ApnsApp> apps = new HashMap<>();
    private final List<ApnsClient> all;
    private final EventLoopGroup eventLoops;

    private ApnsClients(Map<String, Map<ApnsEnvironment, ApnsClient>> byBundleId, List<ApnsClient> all, EventLoopGroup eventLoops) {
        this.byBundleId = byBundleId;
        this.all = all;
        this.eventLoops = eventLoops;
    }

    /**
     * Loads every app's key or certificate and builds the clients.
     *
     * @throws IllegalStateException naming the app whose configuration is wrong (never quoting a secret)
     */
    public static ApnsClients create(List<ApnsApp> apps, ApnsConnection connection) {
        if (apps.isEmpty()) {
            return new ApnsClients(Map.of(), List.of(), null);
        }
        Map<ApnsCredentials, List<ApnsApp>> byCredentials = new LinkedHashMap<>();
        Map<String, ApnsApp> byBundle = new HashMap<>();
        for (ApnsApp app : apps) {
            ApnsApp other = byBundle.putIfAbsent(app.bundleId(), app);
            if (other != null) {
                throw new IllegalStateException("apps " + other.name() + " and " + app.name() + " both name bundle id " + app.bundleId());
            }
            byCredentials.computeIfAbsent(app.credentials(), c -> new ArrayList<>()).add(app);
        }
        // One small event loop group for all clients: threads stay bounded however many apps there are.
        EventLoopGroup eventLoops = new NioEventLoopGroup(Math.min(4, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("tether-apns", true));
        Map<String, Map<ApnsEnvironment, ApnsClient>> byBundleId = new HashMap<>();
        List<ApnsClient> all = new ArrayList<>();
        ApnsClients clients = new ApnsClients(byBundleId, all, eventLoops);
        try {
            for (var entry : byCredentials.entrySet()) {
                Map<ApnsEnvironment, ApnsClient> perEnvironment = new EnumMap<>(ApnsEnvironment.class);
                for (ApnsEnvironment environment : ApnsEnvironment.values()) {
                    ApnsClient client = build(entry.getKey(), environment, connection, eventLoops, entry.getValue().get(0));
                    all.add(client);
                    perEnvironment.put(environment, client);
                }
                entry.getValue().forEach(app -> {
                    byBundleId.put(app.bundleId(), perEnvironment);
                    clients.apps.put(app.bundleId(), app);
                });
            }
        } catch (RuntimeException e) {
            clients.close();
            throw e;
        }
        return clients;
    }

    /** The client for an app's tokens of one environment; empty when the app is not configured. */
    public Optional<ApnsClient> find(String bundleId, ApnsEnvironment environment) {
        return app(bundleId).map(app -> byBundleId.get(app.bundleId()).get(environment));
    }

    /** The app serving a bundle id (its own, else the catch-all app {@code *}) and its client for the environment. */
    @Override
    public Optional<Route> resolve(String bundleId, ApnsEnvironment environment) {
        return app(bundleId).map(app -> new Route(app, byBundleId.get(app.bundleId()).get(environment)::sendNotification));
    }

    private Optional<ApnsApp> app(String bundleId) {
        return Optional.ofNullable(bundleId == null ? null : apps.getOrDefault(bundleId, apps.get(io.tether.contract.PushApp.ANY)));
    }

    /** Every configured app, in name order. */
    public List<ApnsApp> apps() {
        return apps.values().stream().sorted(java.util.Comparator.comparing(ApnsApp::name)).toList();
    }

    /**
     * Which TLS the clients use, for the start-up log: Pushy takes netty-tcnative's BoringSSL whenever it loads (the
     * provider Pushy prefers), else the JDK's, e.g. on a libc the native library was not built for.
     */
    public static String tls() {
        return OpenSsl.isAvailable() ? "native " + OpenSsl.versionString()
                : "JDK (native TLS unavailable: " + OpenSsl.unavailabilityCause() + ")";
    }

    /** How many clients exist: two (production, sandbox) per distinct credentials. */
    public int size() {
        return all.size();
    }

    private static ApnsClient build(ApnsCredentials credentials, ApnsEnvironment environment, ApnsConnection connection,
            EventLoopGroup eventLoops, ApnsApp firstApp) {
        try {
            ApnsClientBuilder builder = new ApnsClientBuilder()
                    .setApnsServer(connection.host(environment), connection.port())
                    .setConcurrentConnections(connection.concurrentConnections())
                    .setConnectionTimeout(connection.connectionTimeout())
                    .setEventLoopGroup(eventLoops);
            if (connection.trustedServerCertificate().isPresent()) {
                builder.setTrustedServerCertificateChain(connection.trustedServerCertificate().get().toFile());
            }
            if (credentials instanceof ApnsCredentials.SigningKey key) {
                builder.setSigningKey(ApnsSigningKey.loadFromPkcs8File(key.file().toFile(), key.teamId(), key.keyId()));
            } else if (credentials instanceof ApnsCredentials.Certificate certificate) {
                builder.setClientCredentials(certificate.file().toFile(),
                        certificate.password() == null ? "" : certificate.password());
            }
            return builder.build();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // The message names the file and the failure; key material and passwords never reach it.
            throw new IllegalStateException("app " + firstApp.name() + " (" + firstApp.bundleId() + "): cannot set up "
                    + describe(credentials) + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static String describe(ApnsCredentials credentials) {
        if (credentials instanceof ApnsCredentials.SigningKey key) {
            return "signing key " + key.file() + " (team " + key.teamId() + ", key " + key.keyId() + ")";
        }
        return "certificate " + ((ApnsCredentials.Certificate) credentials).file();
    }

    /** Closes every client (waiting for notifications already sent), then their event loops. */
    @Override
    public void close() {
        CompletableFuture<?>[] closing = all.stream().map(ApnsClient::close).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(closing).orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
        if (eventLoops != null) {
            eventLoops.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
