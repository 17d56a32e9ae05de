package io.tether.testkit;

import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A local APNs: Pushy's {@link MockApnsServer} over real TLS and HTTP/2. It accepts every notification
 * addressed to a well-formed token (64 hex characters), rejects others with BadDeviceToken, and appends
 * each accepted one as a JSON line to a file, so people and tests can see what "Apple" received.
 *
 * <p>Its self-signed certificate is generated on first use (JDK keytool, nothing secret in the repo);
 * a client must trust {@link #certificatePath()}. Pushy binds all interfaces (it has no address option).
 */
public final class LocalApns implements AutoCloseable {
    private static final Pattern TOKEN = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String DEVICE_PATH = "/3/device/";
    private static final String ALIAS = "apns";
    // Protects a throwaway local key in a file beside it; not a secret.
    private static final char[] STORE_PASSWORD = "tether-local".toCharArray();

    /**
     * Told of every notification the server accepts, before the client sees its 200 (on a Netty thread: keep it
     * short). A benchmark counts acceptances this way; the file of {@link #start(Path, int, Path)} is one such listener.
     */
    public interface Listener {
        void accepted(String token, Http2Headers headers, ByteBuf payload);
    }

    private final MockApnsServer server;
    /** Its own loop, so that closing it does not wait out Netty's default quiet period of 2 s. */
    private final EventLoopGroup loop;
    private final int port;
    private final Path certificate;
    private final Path recordFile;

    private LocalApns(MockApnsServer server, EventLoopGroup loop, int port, Path certificate, Path recordFile) {
        this.server = server;
        this.loop = loop;
        this.port = port;
        this.certificate = certificate;
        this.recordFile = recordFile;
    }

    /**
     * Starts the server on {@code port}, with its certificate and key kept in {@code dir}, recording
     * accepted notifications in {@code recordFile}.
     */
    public static LocalApns start(Path dir, int port, Path recordFile) {
        try {
            Files.createDirectories(recordFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + recordFile, e);
        }
        return start(dir, port, new ApnsRecordFile(recordFile), recordFile);
    }

    /** Starts the server on {@code port}, certificate and key kept in {@code dir}, telling {@code listener} of each acceptance. */
    public static LocalApns start(Path dir, int port, Listener listener) {
        return start(dir, port, listener, null);
    }

    private static LocalApns start(Path dir, int port, Listener listener, Path recordFile) {
        try {
            Files.createDirectories(dir);
            Path keyStore = dir.resolve("apns-server.p12");
            Path certificate = dir.resolve("apns-server.pem");
            if (!Files.exists(keyStore) || !Files.exists(certificate)) {
                generateCertificate(keyStore, certificate);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                store.load(in, STORE_PASSWORD);
            }
            X509Certificate cert = (X509Certificate) store.getCertificate(ALIAS);
            PrivateKey key = (PrivateKey) store.getKey(ALIAS, STORE_PASSWORD);
            EventLoopGroup loop = new NioEventLoopGroup(1);
            MockApnsServer server = new MockApnsServerBuilder()
                    .setEventLoopGroup(loop)
                    .setServerCredentials(new X509Certificate[] {cert}, key, null)
                    .setHandlerFactory(session -> new TokenCheckingHandler(listener))
                    .build();
            try {
                server.start(port).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                server.shutdown();
                loop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
                throw new IllegalStateException("local APNs cannot listen on port " + port + ": " + e.getCause(), e);
            }
            return new LocalApns(server, loop, port, certificate, recordFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local APNs", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the local APNs certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the local APNs", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("local APNs did not start within 10 s", e);
        }
    }

    public int port() {
        return port;
    }

    /** Team id of the local APNs signing key. */
    public static final String TEAM_ID = "TETHERTEAM";
    /** Key id of the local APNs signing key. */
    public static final String KEY_ID = "LOCALKEY01";

    /**
     * push-service settings for one app (bundle id) that talks to this server with token authentication:
     * a P-256 signing key in a .p8 file, made once in {@code dir} like the ones Apple hands out.
     */
    public Map<String, String> pushServiceConfig(Path dir, String appName, String bundleId) {
        Path key = signingKey(dir);
        String prefix = "tether.apns.apps." + appName + ".";
        Map<String, String> config = new java.util.LinkedHashMap<>();
        config.put("tether.apns.server-host", "127.0.0.1");
        config.put("tether.apns.server-port", Integer.toString(port));
        config.put("tether.apns.trusted-server-certificate", certificate.toString());
        config.put(prefix + "bundle-id", bundleId);
        config.put(prefix + "team-id", TEAM_ID);
        config.put(prefix + "key-id", KEY_ID);
        config.put(prefix + "signing-key", key.toString());
        return config;
    }

    /**
     * The token signing key ({@link #TEAM_ID}, {@link #KEY_ID}) as a .p8 file in {@code dir}, made on first use like
     * the ones Apple hands out; any APNs client (push-service, a raw Pushy client) signs its provider tokens with it.
     */
    public static Path signingKey(Path dir) {
        Path key = dir.resolve("AuthKey_" + KEY_ID + ".p8");
        try {
            if (!Files.exists(key)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                Files.createDirectories(dir);
                Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an APNs signing key", e);
        }
        return key;
    }

    /** PEM of the server certificate, which a client must trust (Pushy: setTrustedServerCertificateChain). */
    public Path certificatePath() {
        return certificate;
    }

    /**
     * One JSON line per accepted notification: receivedAt, token, topic, pushType, priority, collapseId, apnsId,
     * payload; null when the server was started with a {@link Listener} instead.
     */
    public Path recordFile() {
        return recordFile;
    }

    @Override
    public void close() {
        try {
            server.shutdown().get(10, TimeUnit.SECONDS);
            loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("tether: local APNs shutdown: " + e);
        }
    }

    @Override
    public String toString() {
        return "local APNs on " + port;
    }

    private static void generateCertificate(Path keyStore, Path pem) throws IOException, GeneralSecurityException {
        Files.deleteIfExists(keyStore);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        String password = new String(STORE_PASSWORD);
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", password, "-keypass", password))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while generating the local APNs certificate", e);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, STORE_PASSWORD);
        }
        String encoded = Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(store.getCertificate(ALIAS).getEncoded());
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + encoded + "\n-----END CERTIFICATE-----\n",
                StandardCharsets.US_ASCII);
    }

    /** Rejects a malformed token as APNs does (BadDeviceToken) and tells the listener of the rest before Pushy answers 200. */
    private static final class TokenCheckingHandler implements PushNotificationHandler {
        private final Listener listener;

        TokenCheckingHandler(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void handlePushNotification(Http2Headers headers, ByteBuf payload) throws RejectedNotificationException {
            String path = headers.path() == null ? "" : headers.path().toString();
            String token = path.startsWith(DEVICE_PATH) ? path.substring(DEVICE_PATH.length()) : "";
            if (!TOKEN.matcher(token).matches()) {
                throw new RejectedNotificationException(RejectionReason.BAD_DEVICE_TOKEN);
            }
            listener.accepted(token, headers, payload);
        }
    }
}
