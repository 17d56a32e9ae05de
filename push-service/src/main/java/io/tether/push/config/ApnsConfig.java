package io.tether.push.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * APNs: the apps (bundle ids) this service pushes for, and how it talks to Apple. Key and certificate files
 * are read once at start; their contents and passwords are never logged.
 */
@ConfigMapping(prefix = "tether.apns")
public interface ApnsConfig {

    /**
     * Host to send to instead of Apple's ({@code api.push.apple.com} for production tokens,
     * {@code api.sandbox.push.apple.com} for sandbox tokens), for both environments: a local or test APNs. Default: Apple's.
     */
    Optional<String> serverHost();

    /** Port of the APNs server. Default 443 (Apple also listens on 2197). */
    Optional<Integer> serverPort();

    /** PEM file of the certificates to trust instead of the JDK's CAs, for a local or test APNs. Default: the JDK's. */
    Optional<Path> trustedServerCertificate();

    /** HTTP/2 connections each APNs client keeps (one client per credentials and environment). Default 2. */
    @WithDefault("2")
    int concurrentConnections();

    /**
     * Push requests handled at once, including those waiting for a retry; bounds the notifications in flight to
     * APNs (Pushy's flow-control advice). Default 1000.
     */
    @WithDefault("1000")
    int maxInFlight();

    /** Time to open a connection to APNs. Default 10 s. */
    @WithDefault("10s")
    Duration connectionTimeout();

    /** Retries of 429, 5xx and connection failures, within the message's TTL. */
    Retry retry();

    /** Apps by a name of your choosing, e.g. {@code tether.apns.apps.chat.bundle-id}. None: every push fails "app-not-configured". */
    Map<String, App> apps();

    interface RateLimit {
        /** Notifications per second for the app, VoIP excepted (a call cannot wait). Default: none (0 = unlimited). */
        @WithDefault("0")
        double perSecond();

        /** Notifications that may go at once after a quiet spell. Default: one second's worth (at least 1). */
        Optional<Integer> burst();
    }

    interface Retry {
        /** Delay before the first retry; doubles per attempt, with jitter. Default 500 ms. */
        @WithDefault("500ms")
        Duration initialBackoff();

        /** Longest delay between two attempts. Default 30 s. */
        @WithDefault("30s")
        Duration maxBackoff();
    }

    /** One app: token authentication (signing-key, team-id, key-id) or certificate authentication (certificate). */
    interface App {
        /**
         * The app's bundle id: the APNs topic, and the appId devices are registered with. {@code *} makes the app
         * serve every bundle id no other app names: for a local or test APNs, where one key signs for any topic.
         */
        String bundleId();

        /** APNs environments the credentials may be used with: production, sandbox. Default: both. */
        Optional<List<String>> environments();

        /**
         * Push types the app may send (alert, background, voip, liveactivity, …; Apple grants VoIP and others per
         * app). The registry refuses tokens and fanout refuses messages of other types. Default: all.
         */
        Optional<List<String>> pushTypes();

        /** Per-app limit of notifications sent to APNs; the excess waits in order, nothing is dropped. */
        RateLimit rateLimit();

        /** Token auth: the 10-character Apple team id. */
        Optional<String> teamId();

        /** Token auth: the id of the signing key. */
        Optional<String> keyId();

        /** Token auth: path of the .p8 signing key (PKCS#8 PEM) from Apple. */
        Optional<Path> signingKey();

        /** Certificate auth: path of the PKCS#12 file holding the APNs client certificate and its key. */
        Optional<Path> certificate();

        /** Certificate auth: password of the PKCS#12 file. Default: none. */
        Optional<String> certificatePassword();
    }
}
