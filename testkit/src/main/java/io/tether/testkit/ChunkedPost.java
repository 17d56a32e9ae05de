package io.tether.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A JSON POST without a Content-Length (chunked, HTTP/1.1): the server learns its size only while reading it. */
public final class ChunkedPost {
    private ChunkedPost() {
    }

    public static HttpResponse<String> send(URI uri, String apiKey, byte[] body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher unsized = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
        if (unsized.contentLength() != -1) {
            throw new IllegalStateException("the body would be sent with a Content-Length");
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(unsized)
                .timeout(Duration.ofSeconds(30))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }
}
