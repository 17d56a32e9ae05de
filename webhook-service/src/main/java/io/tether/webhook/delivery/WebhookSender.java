package io.tether.webhook.delivery;

import io.tether.webhook.registry.DestinationCheck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs one event to a receiver, signed the Standard Webhooks way ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}), with the JDK's asynchronous HTTP client. Any 2xx is delivered; anything else, a timeout
 * or a connection failure is a failed attempt. Redirects are not followed (a receiver that moved must be registered
 * again). The status decides: the response body is never read, so a receiver that answers 2xx and then never finishes
 * its body has still taken the event. Every attempt ends within {@code timeout}, whatever the receiver does (the
 * dispatcher's in-flight slot depends on it), plus the {@link DestinationCheck}'s own bounded look-up of the host: a
 * destination it refuses is a failed attempt, and nothing is sent there.
 */
public final class WebhookSender {
    private static final String USER_AGENT = "Tether-Webhooks/0.1";

    private final HttpClient http;
    private final Duration timeout;
    private final DestinationCheck destinations;

    /** What an attempt got: the HTTP status (0 without an answer), and why it failed when it did. */
    public record Outcome(int httpStatus, String error) {
        public boolean delivered() {
            return error == null;
        }
    }

    public WebhookSender(HttpClient http, Duration timeout, DestinationCheck destinations) {
        this.http = http;
        this.timeout = timeout;
        this.destinations = destinations;
    }

    public static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Never fails: a failure is an {@link Outcome} with an error. */
    public CompletionStage<Outcome> send(String url, String secret, QueueEntry entry, long nowMillis) {
        return destinations.refusal(url).handle((refusal, error) -> {
            if (error != null) {
                String why = reason(error, "its host did not resolve in time");
                return CompletableFuture.completedFuture(new Outcome(0, "destination not checked: " + why));
            }
            if (refusal.isPresent()) {
                return CompletableFuture.completedFuture(new Outcome(0, "destination refused: url " + refusal.get()));
            }
            return post(url, secret, entry, nowMillis);
        }).thenCompose(outcome -> outcome);
    }

    /** What went wrong, {@code timedOut} for a timeout. */
    private static String reason(Throwable error, String timedOut) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof TimeoutException ? timedOut
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private CompletionStage<Outcome> post(String url, String secret, QueueEntry entry, long nowMillis) {
        long timestamp = nowMillis / 1000;
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .header("content-type", "application/json")
                    .header("user-agent", USER_AGENT)
                    .header("webhook-id", entry.eventId())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", Signature.sign(secret, entry.eventId(), timestamp, entry.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(entry.body(), StandardCharsets.UTF_8))
                    .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Outcome(0, "invalid url"));
        }
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request, StatusOnly.HANDLER);
        // HttpRequest.timeout would end the wait for the headers only: this deadline is the attempt's, and cancelling
        // the exchange closes its connection.
        return exchange.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((response, error) -> {
            if (error != null) {
                exchange.cancel(true);
                return new Outcome(0, reason(error, "no answer within " + timeout.toMillis() + " ms"));
            }
            int status = response.statusCode();
            return status >= 200 && status < 300 ? new Outcome(status, null) : new Outcome(status, "HTTP " + status);
        });
    }
}
