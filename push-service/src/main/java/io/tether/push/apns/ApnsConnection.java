package io.tether.push.apns;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how every APNs client connects.
 *
 * @param serverHost            replaces Apple's host in both environments (a local or test APNs)
 * @param serverPort            replaces port 443
 * @param trustedServerCertificate PEM of the certificates to trust instead of the JDK's CAs
 * @param concurrentConnections HTTP/2 connections per client
 */
public record ApnsConnection(Optional<String> serverHost, Optional<Integer> serverPort,
        Optional<Path> trustedServerCertificate, int concurrentConnections, Duration connectionTimeout) {

    public static final int APNS_PORT = 443;

    public ApnsConnection {
        if (concurrentConnections < 1) {
            throw new IllegalArgumentException("concurrent-connections must be at least 1");
        }
    }

    public String host(ApnsEnvironment environment) {
        return serverHost.orElse(environment.host());
    }

    public int port() {
        return serverPort.orElse(APNS_PORT);
    }
}
