package io.tether.bench.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tether.testkit.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The HTTP side of the download benchmark: one JDK client (trusting the gateway's test certificate) for every request. */
final class Transfers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUFFER = 1 << 20;
    private final HttpClient client;

    /** The body that was uploaded: its id in Tether. */
    record Uploaded(String id) {
    }

    /** One download: bytes read, SHA-256 (null when not computed), nanoseconds from request to last byte, HTTP version. */
    record Read(long bytes, String sha256, long nanos, String protocol) {
        double megabytesPerSecond() {
            return bytes / 1e6 / (nanos / 1e9);
        }
    }

    Transfers(TestCertificates.Issued trusted) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trusted.keyStore())) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** {@code POST /v1/attachments}, streamed (no Content-Length) from pseudo-random bytes. */
    Uploaded upload(int fanoutPort, String apiKey, long size) throws IOException, InterruptedException {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fanoutPort + "/v1/attachments?name=bench.bin"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(size))).timeout(Duration.ofMinutes(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("upload answered " + answer.statusCode() + ": " + answer.body());
        }
        return new Uploaded(JSON.readTree(answer.body()).get("attachmentId").asText());
    }

    /** The signed descriptor (JWS) of the message's attachment, read by the device's HTTPS fetch; null while not there yet. */
    String fetchDescriptor(String deviceUrl, String deviceId, String password, String messageId) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((deviceId + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(deviceUrl + "/v1/devices/" + deviceId + "/messages"))
                .header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode message : JSON.readTree(answer.body()).path("messages")) {
            if (messageId.equals(message.path("messageId").asText())) {
                return message.get("attachment").asText();
            }
        }
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the fetch answered " + answer.statusCode() + ": " + answer.body());
        }
        return null;
    }

    /** Tether's published signing keys. */
    String jwks(String deviceUrl) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(deviceUrl + "/.well-known/jwks.json")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** GETs {@code uri} and reads the body to its end; hashes it when {@code hash}. */
    Read download(URI uri, boolean hash) throws Exception {
        MessageDigest digest = hash ? MessageDigest.getInstance("SHA-256") : null;
        byte[] buffer = new byte[BUFFER];
        long bytes = 0;
        long start = System.nanoTime();
        HttpResponse<InputStream> answer = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = answer.body()) {
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri.getHost() + ":" + uri.getPort() + " answered " + answer.statusCode() + ": "
                        + new String(in.readNBytes(2000), StandardCharsets.UTF_8));
            }
            for (int n; (n = in.read(buffer)) > 0; ) {
                bytes += n;
                if (digest != null) {
                    digest.update(buffer, 0, n);
                }
            }
        }
        long nanos = System.nanoTime() - start;
        String protocol = (uri.getScheme().equals("https") ? "HTTPS " : "HTTP ") + (answer.version() == HttpClient.Version.HTTP_2 ? "2" : "1.1");
        return new Read(bytes, digest == null ? null : HexFormat.of().formatHex(digest.digest()), nanos, protocol);
    }

    /** {@code size} pseudo-random bytes (fixed seed), produced as they are read. */
    private static final class Generated extends InputStream {
        private final SplittableRandom random = new SplittableRandom(14);
        private long left;

        Generated(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            for (int i = 0; i < n; i += 8) {
                long value = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    into[offset + i + j] = (byte) (value >>> (8 * j));
                }
            }
            left -= n;
            return n;
        }
    }
}
