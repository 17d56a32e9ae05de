package io.tether.testkit.local;

import io.tether.testkit.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The local run's TLS: a CA of its own ("Tether local CA") and a server certificate it signs for this machine's names
 * and addresses, made once with the JDK's keytool under {@code TETHER_HOME/tls} and kept (delete the directory to make
 * new ones, e.g. after the machine got another address). Trusting the CA once is enough for a phone or a laptop to
 * connect over TLS 1.3 (and WSS) by any of those names, as it would to production.
 *
 * @param caCert     PEM of the CA: what a client must trust
 * @param serverCert PEM of the server certificate
 * @param serverKey  PEM of its private key
 * @param names      the names and addresses the server certificate covers
 */
public record LocalTls(Path caCert, Path serverCert, Path serverKey, List<String> names) {
    static final String CA_ALIAS = "tether-local-ca";
    static final String SERVER_ALIAS = "tether-local-server";

    /** The existing certificates in {@code dir}, or new ones. */
    public static LocalTls ensure(Path dir) {
        Path ca = dir.resolve(CA_ALIAS + ".crt");
        Path cert = dir.resolve(SERVER_ALIAS + ".crt");
        Path key = dir.resolve(SERVER_ALIAS + ".key");
        Path names = dir.resolve("names.txt");
        try {
            if (!(Files.exists(ca) && Files.exists(cert) && Files.exists(key) && Files.exists(names))) {
                Files.createDirectories(dir);
                List<String> covered = localNames();
                TestCertificates.Issued authority = TestCertificates.authority(dir, CA_ALIAS, "Tether local CA", 3650);
                List<String> san = covered.stream().map(n -> (n.matches("[0-9.]+") || n.contains(":") ? "ip:" : "dns:") + n).toList();
                TestCertificates.serverSignedBy(dir, authority, SERVER_ALIAS, covered.get(0), san, 825);
                Files.write(names, covered);
            }
            return new LocalTls(ca, cert, key, Files.readAllLines(names));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** localhost, this machine's host name (also as .local, which phones resolve by mDNS), and its IPv4 addresses. */
    static List<String> localNames() {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host != null && host.matches("[A-Za-z0-9.-]+")) {
                names.add(host);
                if (!host.contains(".")) {
                    names.add(host + ".local");
                }
            }
        } catch (UnknownHostException e) {
            // no host name: localhost and the addresses below still work
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                Collections.list(nic.getInetAddresses()).stream()
                        .filter(a -> a instanceof java.net.Inet4Address)
                        .forEach(a -> names.add(a.getHostAddress()));
            }
        } catch (SocketException e) {
            // addresses unknown: the names above still work
        }
        return new ArrayList<>(names);
    }

    /** How to make a phone trust the CA, for the summary the local run prints. */
    String howToTrust() {
        return "  Trust " + caCert + " once on the device that connects:\n"
                + "    iPhone/iPad: AirDrop or mail it to the device, open it, then Settings > General > VPN & Device Management >\n"
                + "                 install the profile, and Settings > General > About > Certificate Trust Settings > turn on\n"
                + "                 full trust for \"Tether local CA\".\n"
                + "    Android:     Settings > Security > Encryption & credentials > Install a certificate > CA certificate.\n"
                + "    macOS:       security add-trusted-cert -r trustRoot -k ~/Library/Keychains/login.keychain-db " + caCert + "\n"
                + "    Clients:     mosquitto_sub --cafile " + caCert + " -h localhost -p <TLS port> ...\n"
                + "  It covers " + String.join(", ", names) + ". A phone reaches this machine only when MQTT listens on the network:\n"
                + "  start with TETHER_MQTT_HOST=0.0.0.0 (default 127.0.0.1).\n";
    }
}
