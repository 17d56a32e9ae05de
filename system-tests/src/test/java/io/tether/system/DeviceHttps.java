package io.tether.system;

import io.tether.testkit.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The device's side of the device HTTPS endpoint: a plain JDK HTTPS client that trusts the stack's certificate. */
final class DeviceHttps {
    private final TetherStack stack;
    private final HttpClient client;

    DeviceHttps(TetherStack stack) {
        this.stack = stack;
        this.client = HttpClient.newBuilder().sslContext(trusting(stack.deviceCertificate())).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static String basic(Api.Device device) {
        return "Basic " + Base64.getEncoder().encodeToString((device.id() + ":" + device.password()).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String authorization, String json) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A download, its body as a stream the caller reads (and may abandon midway). */
    HttpResponse<InputStream> download(String url, String range, String ifRange) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
        if (range != null) {
            request.header("Range", range);
        }
        if (ifRange != null) {
            request.header("If-Range", ifRange);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    HttpResponse<String> fetchString(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String url(String path) {
        return stack.deviceUrl() + path;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext trusting(TestCertificates.Issued certificate) {
        try (InputStream in = Files.newInputStream(certificate.keyStore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, TestCertificates.PASSWORD.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
